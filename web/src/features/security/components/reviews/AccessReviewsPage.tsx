import { Badge, Button, Group, Modal, NumberInput, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronRight, IconPlayerPlay } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '../../../../components/ErrorAlert';
import { PageHeader } from '../../../../components/PageHeader';
import { EmptyState, LoadingState } from '../../../../components/States';
import { useFormat } from '../../../../lib/format';
import { listReviews, REVIEWS_KEY, startReview, type ReviewSummary } from '../../api/access-review.api';
import { DormantAccounts } from './DormantAccounts';
import { ReviewProgress } from './ReviewProgress';

function StartForm({ onDone }: { onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({ initialValues: { name: '', dueInDays: 14, escalateAfterDays: 7 } });
  const start = useMutation({
    mutationFn: (v: typeof form.values) =>
      startReview({
        ...(v.name.trim() ? { name: v.name.trim() } : {}),
        dueInDays: v.dueInDays,
        escalateAfterDays: v.escalateAfterDays,
      }),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: REVIEWS_KEY });
      onDone(r.id);
    },
  });
  return (
    <form onSubmit={form.onSubmit((v) => start.mutate(v))}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('reviews.startExplain')}
        </Text>
        {start.isError ? <ErrorAlert error={start.error} /> : null}
        <TextInput
          label={t('reviews.name')}
          placeholder={t('reviews.namePlaceholder')}
          maxLength={200}
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Group grow align="flex-start">
          <NumberInput
            label={t('reviews.dueInDays')}
            min={1}
            max={365}
            allowDecimal={false}
            {...form.getInputProps('dueInDays')}
          />
          <NumberInput
            label={t('reviews.escalateAfterDays')}
            min={1}
            max={365}
            allowDecimal={false}
            {...form.getInputProps('escalateAfterDays')}
          />
        </Group>
        <Button type="submit" loading={start.isPending} leftSection={<IconPlayerPlay size={16} />}>
          {t('reviews.start')}
        </Button>
      </Stack>
    </form>
  );
}

export function StateBadge({ review }: { review: Pick<ReviewSummary, 'state' | 'overdue'> }) {
  const { t } = useTranslation();
  if (review.state === 'closed')
    return (
      <Badge color="gray" variant="light">
        {t('reviews.closed')}
      </Badge>
    );
  if (review.overdue)
    return (
      <Badge color="red" variant="light">
        {t('reviews.overdue')}
      </Badge>
    );
  return (
    <Badge color="blue" variant="light">
      {t('reviews.open')}
    </Badge>
  );
}

/** Access-review campaigns (newest first), starting one, and the dormant accounts. */
export function AccessReviewsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const reviews = useQuery({ queryKey: REVIEWS_KEY, queryFn: listReviews });
  const [starting, start] = useDisclosure(false);
  return (
    <>
      <PageHeader
        title={t('nav.accessReviews')}
        description={t('reviews.hint')}
        actions={
          <Button leftSection={<IconPlayerPlay size={16} />} onClick={start.open}>
            {t('reviews.start')}
          </Button>
        }
      />
      <Paper withBorder radius="md">
        {reviews.isPending ? (
          <LoadingState />
        ) : reviews.isError ? (
          <ErrorAlert error={reviews.error} />
        ) : reviews.data.length === 0 ? (
          <EmptyState title={t('reviews.empty')} hint={t('reviews.emptyHint')} />
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reviews.name')}</Table.Th>
                  <Table.Th>{t('admin.status')}</Table.Th>
                  <Table.Th>{t('reviews.decisions')}</Table.Th>
                  <Table.Th>{t('reviews.due')}</Table.Th>
                  <Table.Th>{t('common.created')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reviews.data.map((r) => (
                  <Table.Tr key={r.id} data-testid="review-row">
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {r.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StateBadge review={r} />
                    </Table.Td>
                    <Table.Td>
                      <ReviewProgress counts={r.counts} />
                    </Table.Td>
                    <Table.Td>{fmt.date(r.dueAt)}</Table.Td>
                    <Table.Td>{fmt.date(r.createdAt)}</Table.Td>
                    <Table.Td ta="end">
                      <Button
                        component={Link}
                        to={`/security/access-reviews/${r.id}`}
                        size="xs"
                        variant="subtle"
                        rightSection={<IconChevronRight size={14} className="mirror-rtl" />}
                        aria-label={t('reviews.openReview', { name: r.name })}
                      >
                        {t('reviews.open_action')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <DormantAccounts />
      <Modal opened={starting} onClose={start.close} title={t('reviews.start')}>
        <StartForm
          onDone={(id) => {
            start.close();
            void navigate(`/security/access-reviews/${id}`);
          }}
        />
      </Modal>
    </>
  );
}
