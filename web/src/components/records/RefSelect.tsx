import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { getRecord, listRecords } from '../../lib/api/records';
import type { CrmObject, CrmRecord } from '../../lib/api/types';

/** The display name of any CRM record (contact, company, deal, activity). */
export function recordTitle(r: CrmRecord): string {
  const v = r as unknown as Record<string, unknown>;
  const name = [v.firstName, v.lastName].filter((x) => typeof x === 'string' && x).join(' ');
  for (const c of [name, v.name, v.title, v.subject]) if (typeof c === 'string' && c.trim()) return c;
  return r.id.slice(0, 8);
}

/** Pick one record of another object, searching the server as you type. */
export function RefSelect({
  object,
  label,
  value,
  onChange,
  error,
  placeholder,
}: {
  object: CrmObject;
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
  placeholder?: string;
}) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const options = useQuery({
    queryKey: ['ref-options', object, q],
    queryFn: () => listRecords(object, { limit: 20, q: q.trim() || undefined }),
  });
  const current = useQuery({
    queryKey: ['record', object, value],
    queryFn: () => getRecord(object, value ?? ''),
    enabled: Boolean(value),
  });
  const items = options.data?.items ?? [];
  const data = [...items];
  if (current.data && !items.some((i) => i.id === current.data.id)) data.unshift(current.data);
  return (
    <Select
      label={label}
      placeholder={placeholder}
      searchable
      clearable
      value={value}
      onChange={onChange}
      onSearchChange={setSearch}
      searchValue={search}
      filter={({ options: o }) => o}
      data={data.map((r) => ({ value: r.id, label: recordTitle(r) }))}
      error={error}
      nothingFoundMessage="—"
    />
  );
}
