import { ActionIcon, Anchor, Group, Menu, Paper, Stack, Text } from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMyAccess } from '../../../lib/access';
import type { Stage } from '../../../lib/api/types';
import { useFormat } from '../../../lib/format';
import type { DealRecord } from '../api/deals.api';

/** A deal on the board: drag it to another stage, or use "Move to" from the keyboard. */
export function DealCard({
  deal,
  stages,
  onMove,
}: {
  deal: DealRecord;
  stages: Stage[];
  onMove: (deal: DealRecord, stageId: string) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  // Moving a deal changes it: a role without update on deals neither drags it nor gets "Move to".
  const movable = useMyAccess().allows('deals', 'update');
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      shadow="xs"
      className="deal-card"
      draggable={movable}
      data-testid="deal-card"
      data-deal-id={deal.id}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', deal.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Anchor component={Link} to={`/deals/${deal.id}`} size="sm" fw={600} lineClamp={2} draggable={false}>
            {deal.title}
          </Anchor>
          {movable ? (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="subtle" size="sm" aria-label={t('deals.moveTo', { deal: deal.title })}>
                  <IconArrowsExchange size={14} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('deals.moveToLabel')}</Menu.Label>
                {stages
                  .filter((s) => s.id !== deal.stageId)
                  .map((s) => (
                    <Menu.Item key={s.id} onClick={() => onMove(deal, s.id)}>
                      {s.name}
                    </Menu.Item>
                  ))}
              </Menu.Dropdown>
            </Menu>
          ) : null}
        </Group>
        <Text size="sm" fw={500} c="brand.8">
          {fmt.money(deal.amount, deal.currency)}
        </Text>
        {deal.closeDate ? (
          <Text size="xs" c="dimmed">
            {t('deals.closes', { date: fmt.date(deal.closeDate) })}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
