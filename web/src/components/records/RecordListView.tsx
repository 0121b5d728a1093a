import {
  Button,
  Group,
  Paper,
  ScrollArea,
  Select,
  Table,
  Text,
  TextInput,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconArrowDown,
  IconArrowUp,
  IconChevronLeft,
  IconChevronRight,
  IconFilterOff,
  IconSearch,
  IconSelector,
} from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { listRecords } from '../../lib/api/records';
import type { CrmObject, CrmRecord } from '../../lib/api/types';
import { useFieldAccess } from '../../lib/fields';
import { useFormat } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';
import { EmptyState, LoadingState } from '../States';
import { ColumnPicker } from './ColumnPicker';
import { useListState, type ListState } from './list-state';
import { SavedViewsMenu } from './SavedViewsMenu';

export interface ColumnDef<R extends CrmRecord = CrmRecord> {
  key: string;
  label: string;
  /** The API's sort key, when the server can sort by this column. */
  sortKey?: string;
  render: (r: R) => ReactNode;
}

export interface FilterDef {
  /** The API's query parameter. */
  key: string;
  label: string;
  options?: { value: string; label: string }[];
  placeholder?: string;
  ltr?: boolean;
  /** Only values that pass are sent (exact-match lookups need a whole value). */
  validate?: (value: string) => boolean;
}

/**
 * What the person's field modes allow in a list (the API refuses the rest with 403): columns of fields they see,
 * sorting by fields they read in clear, open filters on those too and exact-match filters (`validate`) on
 * fields they see masked.
 */
function useAllowedListParts<R extends CrmRecord>(object: CrmObject, columns: ColumnDef<R>[], filters: FilterDef[]) {
  const access = useFieldAccess(object);
  const sortable = (key?: string) => key !== undefined && access.readable(key.replace(/^[-+]/, ''));
  return {
    columns: columns
      .filter((c) => access.visible(c.key))
      .map((c) => (c.sortKey && !sortable(c.sortKey) ? { ...c, sortKey: undefined } : c)),
    filters: filters.filter((f) => access.readable(f.key) || (f.validate !== undefined && access.lookup(f.key))),
    sortable,
    protectedData: access.protectedData,
  };
}

const PAGE_SIZE = 50;

/** A fast server-paginated table: search, filters, sort, column choice and saved views. */
export function RecordListView<R extends CrmRecord>({
  object,
  columns: allColumns,
  defaultColumns,
  filters: allFilters,
  defaultSort,
  fixedParams,
  storageKey,
  toolbar,
  emptyTitle,
  emptyHint,
  onOpen,
}: {
  object: CrmObject;
  columns: ColumnDef<R>[];
  defaultColumns: string[];
  filters: FilterDef[];
  defaultSort: string;
  fixedParams?: Record<string, string>;
  storageKey: string;
  toolbar?: ReactNode;
  emptyTitle: string;
  emptyHint?: string;
  onOpen: (r: R) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const allowed = useAllowedListParts(object, allColumns, allFilters);
  const { columns, filters } = allowed;
  const initial: ListState = { q: '', filters: {}, sort: defaultSort, columns: defaultColumns };
  const list = useListState(storageKey, initial, allowed.protectedData);
  const { state } = list;
  const [q] = useDebouncedValue(state.q, 250);
  const [typedFilters] = useDebouncedValue(state.filters, 300);
  // A filter value the server would refuse (a half-typed email) is not sent until it is complete.
  const sentFilters = useMemo(
    () =>
      Object.fromEntries(
        Object.entries(typedFilters).filter(([k, v]) => {
          const def = filters.find((f) => f.key === k);
          // A saved view may name a filter this person cannot use: it is not sent (the API would answer 403).
          if (!def && allFilters.some((f) => f.key === k)) return false;
          return v.trim() !== '' && (!def?.validate || def.validate(v.trim()));
        }),
      ),
    [typedFilters, filters, allFilters],
  );
  const [cursors, setCursors] = useState<{ key: string; stack: (string | undefined)[] }>({
    key: '',
    stack: [undefined],
  });

  const sort = allowed.sortable(state.sort) ? state.sort : defaultSort;
  const params = useMemo(
    () => ({ limit: PAGE_SIZE, q: q.trim() || undefined, sort, ...sentFilters, ...fixedParams }),
    [q, sort, sentFilters, fixedParams],
  );
  const paramsKey = JSON.stringify(params);
  const stack = cursors.key === paramsKey ? cursors.stack : [undefined];
  const page = stack.length - 1;
  const cursor = stack[page];

  const query = useQuery({
    queryKey: ['records', object, params, cursor ?? null],
    queryFn: () => listRecords(object, { ...params, cursor }),
    placeholderData: keepPreviousData,
  });
  const items = (query.data?.items ?? []) as R[];
  const visible = columns.filter((c) => state.columns.includes(c.key));
  const activeFilters = Object.values(state.filters).filter(Boolean).length + (state.q ? 1 : 0);

  const toggleSort = (key: string) => {
    const next = state.sort === key ? `-${key}` : state.sort === `-${key}` ? defaultSort : key;
    list.update({ sort: next });
  };
  const sortIcon = (key: string) =>
    state.sort === key ? (
      <IconArrowUp size={14} />
    ) : state.sort === `-${key}` ? (
      <IconArrowDown size={14} />
    ) : (
      <IconSelector size={14} opacity={0.5} />
    );
  const ariaSort = (key?: string): 'ascending' | 'descending' | 'none' | undefined =>
    key === undefined ? undefined : state.sort === key ? 'ascending' : state.sort === `-${key}` ? 'descending' : 'none';

  return (
    <Paper withBorder radius="md" p={0}>
      <Group p="md" gap="sm" justify="space-between" wrap="wrap">
        <Group gap="sm" wrap="wrap" style={{ flex: 1 }}>
          <TextInput
            aria-label={t('list.search')}
            placeholder={t('list.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={state.q}
            onChange={(e) => list.update({ q: e.currentTarget.value })}
            w={260}
            type="search"
          />
          {filters.map((f) =>
            f.options ? (
              <Select
                key={f.key}
                aria-label={f.label}
                placeholder={f.label}
                data={f.options}
                clearable
                value={state.filters[f.key] ?? null}
                onChange={(v) => list.update({ filters: { ...state.filters, [f.key]: v ?? '' } })}
                w={170}
              />
            ) : (
              <TextInput
                key={f.key}
                aria-label={f.label}
                placeholder={f.placeholder ?? f.label}
                value={state.filters[f.key] ?? ''}
                onChange={(e) => list.update({ filters: { ...state.filters, [f.key]: e.currentTarget.value } })}
                w={200}
                classNames={f.ltr ? { input: 'ltr-value' } : undefined}
              />
            ),
          )}
          {activeFilters > 0 ? (
            <Button
              variant="subtle"
              leftSection={<IconFilterOff size={16} />}
              onClick={() => list.update({ q: '', filters: {} })}
            >
              {t('list.clear')}
            </Button>
          ) : null}
        </Group>
        <Group gap="sm">
          <SavedViewsMenu
            views={list.views}
            onApply={(v) => list.update(v.state)}
            onSave={list.saveView}
            onDelete={list.deleteView}
          />
          <ColumnPicker
            columns={columns.map((c) => ({ key: c.key, label: c.label }))}
            visible={state.columns}
            onChange={(keys) => list.update({ columns: keys })}
          />
          {toolbar}
        </Group>
      </Group>
      {query.isError ? (
        <div style={{ padding: 16 }}>
          <ErrorAlert error={query.error} />
        </div>
      ) : query.isPending ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title={emptyTitle} hint={activeFilters > 0 ? t('list.noMatches') : emptyHint} />
      ) : (
        <ScrollArea type="auto">
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" stickyHeader miw={700}>
            <Table.Thead>
              <Table.Tr>
                {visible.map((c) => (
                  <Table.Th key={c.key} aria-sort={ariaSort(c.sortKey)}>
                    {c.sortKey ? (
                      <UnstyledButton onClick={() => c.sortKey && toggleSort(c.sortKey)}>
                        <Group gap={4} wrap="nowrap">
                          <Text fw={600} size="sm">
                            {c.label}
                          </Text>
                          {sortIcon(c.sortKey)}
                          <VisuallyHidden>{t('list.sortBy', { column: c.label })}</VisuallyHidden>
                        </Group>
                      </UnstyledButton>
                    ) : (
                      <Text fw={600} size="sm">
                        {c.label}
                      </Text>
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }}>
              {items.map((r) => (
                <Table.Tr key={r.id} className="clickable-row" onClick={() => onOpen(r)} data-testid="record-row">
                  {visible.map((c) => (
                    <Table.Td key={c.key}>{c.render(r)}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <Group justify="space-between" p="sm" px="md" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
        <Text size="sm" c="dimmed">
          {t('list.pageInfo', { page: fmt.number(page + 1), count: fmt.number(items.length) })}
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            leftSection={<IconChevronLeft size={14} className="mirror-rtl" />}
            disabled={page === 0}
            onClick={() => setCursors({ key: paramsKey, stack: stack.slice(0, -1) })}
          >
            {t('list.previous')}
          </Button>
          <Button
            variant="default"
            size="xs"
            rightSection={<IconChevronRight size={14} className="mirror-rtl" />}
            disabled={!query.data?.nextCursor}
            onClick={() =>
              query.data?.nextCursor && setCursors({ key: paramsKey, stack: [...stack, query.data.nextCursor] })
            }
          >
            {t('list.next')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
