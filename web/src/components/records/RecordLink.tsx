import { Anchor } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { getRecord } from '../../lib/api/records';
import type { CrmObject } from '../../lib/api/types';
import { recordTitle } from './RefSelect';

/** A link to another record, named by its title. */
export function RecordLink({ object, id }: { object: CrmObject; id: string }) {
  const q = useQuery({ queryKey: ['record', object, id], queryFn: () => getRecord(object, id) });
  return (
    <Anchor component={Link} to={`/${object}/${id}`} size="sm">
      {q.data ? recordTitle(q.data) : q.isError ? id.slice(0, 8) : '…'}
    </Anchor>
  );
}
