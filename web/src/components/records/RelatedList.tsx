import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useMyAccess } from '../../lib/access';
import { listRecords } from '../../lib/api/records';
import type { CrmObject, CrmRecord } from '../../lib/api/types';
import { useFormat } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';
import { LoadingState } from '../States';
import { recordTitle } from './RefSelect';

/** Records of another object linked to this one (a company's contacts, a contact's deals). */
export function RelatedList({
  title,
  object,
  params,
  emptyText,
  describe,
}: {
  title: string;
  object: CrmObject;
  params: Record<string, string>;
  emptyText: string;
  describe?: (r: CrmRecord) => ReactNode;
}) {
  const fmt = useFormat();
  const access = useMyAccess();
  // Only what the role may read is asked for (and shown); the API would answer 403 for the rest.
  const readable = access.ready && access.canRead(object);
  const q = useQuery({
    queryKey: ['records', object, { ...params, limit: 10 }],
    queryFn: () => listRecords(object, { ...params, limit: 10 }),
    enabled: readable,
  });
  if (!readable) return null;
  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="lg">
          {title}
        </Title>
        {q.data ? (
          <Badge variant="light" color="gray">
            {fmt.number(q.data.items.length)}
            {q.data.nextCursor ? '+' : ''}
          </Badge>
        ) : null}
      </Group>
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : q.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {emptyText}
        </Text>
      ) : (
        <Stack gap="xs">
          {q.data.items.map((r) => (
            <Group key={r.id} justify="space-between" wrap="nowrap">
              <Anchor component={Link} to={`/${object}/${r.id}`} size="sm" fw={500}>
                {recordTitle(r)}
              </Anchor>
              {describe ? (
                <Text size="xs" c="dimmed">
                  {describe(r)}
                </Text>
              ) : null}
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
