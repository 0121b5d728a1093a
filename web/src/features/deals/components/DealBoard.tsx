import { Badge, Box, Group, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { notify } from '../../../lib/notify';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, useErrorText } from '../../../components/ErrorAlert';
import type { Pipeline } from '../../../lib/api/types';
import { useFormat } from '../../../lib/format';
import { moveDeal, stageDeals, totalsByCurrency, type DealRecord } from '../api/deals.api';
import { DealCard } from './DealCard';

const STAGE_COLOR: Record<string, string> = { won: 'green', lost: 'red', open: 'brand' };

/** The pipeline as a kanban board: one column per stage with its totals in each deal currency. */
export function DealBoard({ pipeline }: { pipeline: Pipeline }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const [over, setOver] = useState<string | null>(null);
  const stages = pipeline.stages;
  const results = useQueries({
    queries: stages.map((s) => ({
      queryKey: ['deal-board', pipeline.id, s.id],
      queryFn: () => stageDeals(pipeline.id, s.id),
    })),
  });

  const move = useMutation({
    mutationFn: ({ deal, stageId }: { deal: DealRecord; stageId: string }) => moveDeal(deal, stageId),
    onMutate: ({ deal, stageId }) => {
      // Optimistic: the card moves at once; an error puts it back.
      type Col = { items: DealRecord[]; complete: boolean };
      const from = ['deal-board', pipeline.id, deal.stageId];
      const to = ['deal-board', pipeline.id, stageId];
      const prevFrom = qc.getQueryData<Col>(from);
      const prevTo = qc.getQueryData<Col>(to);
      if (prevFrom) qc.setQueryData<Col>(from, { ...prevFrom, items: prevFrom.items.filter((d) => d.id !== deal.id) });
      if (prevTo) qc.setQueryData<Col>(to, { ...prevTo, items: [{ ...deal, stageId }, ...prevTo.items] });
      return { from, to, prevFrom, prevTo };
    },
    onError: (e, _v, ctx) => {
      if (ctx) {
        qc.setQueryData(ctx.from, ctx.prevFrom);
        qc.setQueryData(ctx.to, ctx.prevTo);
      }
      const text = errorText(e);
      notify({ color: 'red', title: text.title, message: text.detail });
    },
    onSettled: (_d, _e, { deal, stageId }) => {
      void qc.invalidateQueries({ queryKey: ['deal-board', pipeline.id, deal.stageId] });
      void qc.invalidateQueries({ queryKey: ['deal-board', pipeline.id, stageId] });
      void qc.invalidateQueries({ queryKey: ['records', 'deals'] });
    },
    onSuccess: (_d, { stageId }) => {
      notify({
        color: 'green',
        message: t('deals.moved', { stage: stages.find((s) => s.id === stageId)?.name ?? '' }),
      });
    },
  });
  const onMove = (deal: DealRecord, stageId: string) => {
    if (deal.stageId !== stageId) move.mutate({ deal, stageId });
  };
  const findDeal = (id: string): DealRecord | undefined => {
    for (const r of results) {
      const d = r.data?.items.find((x) => x.id === id);
      if (d) return d;
    }
    return undefined;
  };

  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Group align="flex-start" wrap="nowrap" gap="md" pb="md">
        {stages.map((s, i) => {
          const r = results[i];
          const deals = r?.data?.items ?? [];
          const totals = totalsByCurrency(deals);
          return (
            <Paper
              key={s.id}
              w={280}
              miw={280}
              p="sm"
              radius="md"
              bg="gray.1"
              className="board-column"
              data-testid="stage-column"
              data-stage-id={s.id}
              data-stage-name={s.name}
              data-drop-target={over === s.id}
              role="region"
              aria-label={s.name}
              onDragOver={(e) => {
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                if (over !== s.id) setOver(s.id);
              }}
              onDragLeave={() => setOver((o) => (o === s.id ? null : o))}
              onDrop={(e) => {
                e.preventDefault();
                setOver(null);
                const deal = findDeal(e.dataTransfer.getData('text/plain'));
                if (deal) onMove(deal, s.id);
              }}
            >
              <Stack gap={4} mb="sm">
                <Group justify="space-between" wrap="nowrap">
                  <Group gap={6} wrap="nowrap">
                    <Box w={8} h={8} bg={`${STAGE_COLOR[s.kind] ?? 'brand'}.6`} style={{ borderRadius: 4 }} />
                    <Text fw={700} size="sm">
                      {s.name}
                    </Text>
                  </Group>
                  <Badge variant="white" color="gray" size="sm">
                    {fmt.number(deals.length)}
                    {r?.data && !r.data.complete ? '+' : ''}
                  </Badge>
                </Group>
                <Stack gap={0} data-testid="stage-total">
                  {totals.length === 0 ? (
                    <Text size="xs" c="dimmed">
                      {fmt.number(0)}
                    </Text>
                  ) : (
                    totals.map(([cur, sum]) => (
                      <Text key={cur} size="xs" c="dimmed" fw={500}>
                        {fmt.money(sum, cur)}
                      </Text>
                    ))
                  )}
                </Stack>
              </Stack>
              {r?.isError ? <ErrorAlert error={r.error} /> : null}
              <Stack gap="sm" mih={120}>
                {r?.isPending ? (
                  <Text size="xs" c="dimmed" ta="center" py="md">
                    {t('common.loading')}
                  </Text>
                ) : deals.length === 0 ? (
                  <Text size="xs" c="dimmed" ta="center" py="md">
                    {t('deals.emptyStage')}
                  </Text>
                ) : (
                  deals.slice(0, 100).map((d) => <DealCard key={d.id} deal={d} stages={stages} onMove={onMove} />)
                )}
                {deals.length > 100 ? (
                  <Text size="xs" c="dimmed" ta="center">
                    {t('deals.more', { count: deals.length - 100 })}
                  </Text>
                ) : null}
              </Stack>
            </Paper>
          );
        })}
      </Group>
    </ScrollArea>
  );
}
