import { Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../../lib/format';
import type { ReviewItem } from '../../api/access-review.api';

/** A list joined the way the UI language writes lists ("a, b" / "a، b"). */
const useJoin = () => {
  const fmt = useFormat();
  return (items: string[]) => items.join(fmt.lang === 'fa' ? '، ' : ', ');
};

function Permissions({ p }: { p: ReviewItem['permissions'] }) {
  const { t } = useTranslation();
  const join = useJoin();
  const objects = Object.entries(p.objects).filter(([, g]) => g.ops.length > 0);
  if (objects.length === 0 && p.capabilities.length === 0)
    return (
      <Text size="xs" c="dimmed">
        {t('reviews.noPermissions')}
      </Text>
    );
  return (
    <Stack gap={2}>
      {objects.map(([o, g]) => (
        <Text size="xs" key={o}>
          <Text span fw={600} size="xs">
            {t(`nav.${o}`, { defaultValue: o })}
          </Text>
          {': '}
          {join(g.ops.map((op) => t(`rolesPage.ops.${op}`, { defaultValue: op })))}
          {g.scope ? ` · ${t(`rolesPage.scopes.${g.scope}`, { defaultValue: g.scope })}` : ''}
        </Text>
      ))}
      {p.capabilities.length > 0 ? (
        <Group gap={4} mt={2}>
          {p.capabilities.map((c) => (
            <Badge key={c} size="xs" variant="outline" color="grape" tt="none">
              {t(`capabilities.${c}.label`, { defaultValue: c })}
            </Badge>
          ))}
        </Group>
      ) : null}
      {p.reveal.length > 0 ? (
        <Text size="xs" c="dimmed">
          {t('reviews.mayReveal', {
            list: join(p.reveal.map((c) => t(`classification.${c}`, { defaultValue: c }))),
          })}
        </Text>
      ) : null}
    </Stack>
  );
}

/** One user in a campaign: who they are, what they can do, when they were last active, and the decision. */
export function ReviewItemRow({
  item,
  open,
  self,
  busy,
  onCertify,
  onRevoke,
}: {
  item: ReviewItem;
  open: boolean;
  /** The reviewer's own access: separation of duties leaves it to another reviewer. */
  self: boolean;
  busy: boolean;
  onCertify: () => void;
  onRevoke: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const join = useJoin();
  return (
    <Table.Tr data-testid="review-item" data-email={item.email}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {item.name}
        </Text>
        <Text size="xs" c="dimmed" className="ltr-value">
          {item.email}
        </Text>
        {item.status !== 'active' ? (
          <Badge size="xs" color="gray" variant="dot" mt={2}>
            {t('admin.disabled')}
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {item.roles.length === 0 ? (
            <Text size="xs" c="dimmed">
              —
            </Text>
          ) : (
            item.roles.map((r) => (
              <Badge key={r} size="sm" variant="light">
                {t(`roles.${r}`, { defaultValue: r })}
              </Badge>
            ))
          )}
        </Group>
        {item.teams.length > 0 ? (
          <Text size="xs" c="dimmed" mt={4}>
            {join(
              item.teams.map((tm) => (tm.role === 'manager' ? t('reviews.managerOf', { team: tm.name }) : tm.name)),
            )}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Permissions p={item.permissions} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{item.lastActivityAt ? fmt.dateTime(item.lastActivityAt) : t('reviews.never')}</Text>
        {item.escalatedAt ? (
          <Badge size="xs" color="orange" variant="light" mt={2}>
            {t('reviews.escalated')}
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td>
        {item.decision ? (
          <Tooltip label={item.comment ?? ''} disabled={!item.comment}>
            <Stack gap={2}>
              <Badge
                color={item.decision === 'certify' ? 'green' : 'red'}
                variant="light"
                leftSection={item.decision === 'certify' ? <IconCheck size={12} /> : <IconX size={12} />}
              >
                {item.decision === 'certify' ? t('reviews.certified') : t('reviews.revoked')}
              </Badge>
              <Text size="xs" c="dimmed">
                {fmt.dateTime(item.decidedAt)}
              </Text>
            </Stack>
          </Tooltip>
        ) : open && self ? (
          <Text size="xs" c="dimmed" maw={180}>
            {t('reviews.notYours')}
          </Text>
        ) : open ? (
          <Group gap={6} wrap="nowrap">
            <Button
              size="xs"
              color="green"
              variant="light"
              leftSection={<IconCheck size={14} />}
              disabled={busy}
              onClick={onCertify}
              aria-label={t('reviews.certifyUser', { name: item.name })}
            >
              {t('reviews.certify')}
            </Button>
            <Button
              size="xs"
              color="red"
              variant="light"
              leftSection={<IconX size={14} />}
              disabled={busy}
              onClick={onRevoke}
              aria-label={t('reviews.revokeUser', { name: item.name })}
            >
              {t('reviews.revoke')}
            </Button>
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            {t('reviews.undecided')}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
