import { Alert, Button, Checkbox, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, Textarea } from '@mantine/core';
import { IconArrowLeft, IconBell, IconLock } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert, useErrorText } from '../../../../components/ErrorAlert';
import { PageHeader } from '../../../../components/PageHeader';
import { EmptyState, LoadingState } from '../../../../components/States';
import { sortBy } from '../../../../lib/collate';
import { useFormat } from '../../../../lib/format';
import { notify } from '../../../../lib/notify';
import { useCurrentUser } from '../../../../lib/session';
import {
  closeReview,
  decide,
  getReview,
  remind,
  reviewKey,
  REVIEWS_KEY,
  type Review,
  type ReviewItem,
} from '../../api/access-review.api';
import { StateBadge } from './AccessReviewsPage';
import { ReviewItemRow } from './ReviewItemRow';

function Stat({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="xl" c={color}>
        {value}
      </Text>
    </Paper>
  );
}

function CloseDialog({ review, onClose }: { review: Review; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const undecided = review.counts.undecided;
  const [force, setForce] = useState(false);
  const [reason, setReason] = useState('');
  const close = useMutation({
    mutationFn: () => closeReview(review.id, undecided > 0 ? { reason: reason.trim() } : undefined),
    onSuccess: async (r) => {
      qc.setQueryData(reviewKey(review.id), r);
      await qc.invalidateQueries({ queryKey: REVIEWS_KEY });
      notify({ color: 'green', message: t('reviews.closedNotice') });
      onClose();
    },
  });
  const blocked = undecided > 0 && (!force || reason.trim().length === 0);
  return (
    <Stack>
      <Text size="sm">{t('reviews.closeText')}</Text>
      {undecided > 0 ? (
        <>
          <Alert color="orange" variant="light">
            {t('reviews.closeUndecided', { n: fmt.number(undecided) })}
          </Alert>
          <Checkbox
            label={t('reviews.forceClose')}
            checked={force}
            onChange={(e) => setForce(e.currentTarget.checked)}
          />
          {force ? (
            <Textarea
              label={t('reviews.forceReason')}
              required
              maxLength={1000}
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
          ) : null}
        </>
      ) : null}
      {close.isError ? <ErrorAlert error={close.error} /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          leftSection={<IconLock size={16} />}
          disabled={blocked}
          loading={close.isPending}
          onClick={() => close.mutate()}
        >
          {t('reviews.close')}
        </Button>
      </Group>
    </Stack>
  );
}

/** One campaign: every user with roles, teams, effective permissions and last activity; certify or revoke each. */
export function AccessReviewPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const me = useCurrentUser();
  const review = useQuery({ queryKey: reviewKey(id), queryFn: () => getReview(id) });
  const [revoking, setRevoking] = useState<ReviewItem | null>(null);
  const [comment, setComment] = useState('');
  const [closing, setClosing] = useState(false);

  const decision = useMutation({
    mutationFn: (v: { item: ReviewItem; decision: 'certify' | 'revoke'; comment?: string }) =>
      decide(id, v.item.id, v.decision, v.comment),
    onSuccess: async (_item, v) => {
      await qc.invalidateQueries({ queryKey: reviewKey(id) });
      void qc.invalidateQueries({ queryKey: REVIEWS_KEY });
      notify({
        color: v.decision === 'certify' ? 'green' : 'orange',
        message: t(v.decision === 'certify' ? 'reviews.certifiedNotice' : 'reviews.revokedNotice', {
          name: v.item.name,
        }),
      });
      setRevoking(null);
      setComment('');
    },
    onError: (e, v) => {
      if (v.decision === 'revoke') return; // shown inside the dialog
      const text = errorText(e);
      notify({ color: 'red', title: text.title, message: text.detail });
    },
  });
  const reminders = useMutation({
    mutationFn: () => remind(id),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: reviewKey(id) });
      notify({
        color: r.reminded ? 'green' : 'yellow',
        message: r.reminded
          ? t('reviews.reminded', { n: fmt.number(r.undecided) })
          : t('reviews.notReminded', { next: fmt.dateTime(r.nextReminderAt) }),
      });
    },
    onError: (e) => {
      const text = errorText(e);
      notify({ color: 'red', title: text.title, message: text.detail });
    },
  });

  if (review.isPending) return <LoadingState />;
  if (review.isError) return <ErrorAlert error={review.error} />;
  const r = review.data;
  const open = r.state === 'open';
  const items = sortBy(r.items, (i) => `${i.decision ? 1 : 0}${i.name}`, fmt.lang);

  return (
    <>
      <Button
        component={Link}
        to="/security/access-reviews"
        variant="subtle"
        size="xs"
        mb="xs"
        px={4}
        leftSection={<IconArrowLeft size={14} className="mirror-rtl" />}
      >
        {t('reviews.allReviews')}
      </Button>
      <PageHeader
        title={r.name}
        badge={<StateBadge review={r} />}
        description={
          open
            ? t('reviews.openHint', { due: fmt.date(r.dueAt), escalate: fmt.date(r.escalateAt) })
            : t('reviews.closedHint', { closed: fmt.dateTime(r.closedAt) })
        }
        actions={
          open ? (
            <>
              <Button
                variant="default"
                leftSection={<IconBell size={16} />}
                loading={reminders.isPending}
                onClick={() => reminders.mutate()}
                disabled={r.counts.undecided === 0}
              >
                {t('reviews.remind')}
              </Button>
              <Button leftSection={<IconLock size={16} />} onClick={() => setClosing(true)}>
                {t('reviews.close')}
              </Button>
            </>
          ) : null
        }
      />
      <SimpleGrid cols={{ base: 2, md: 5 }} mb="lg">
        <Stat label={t('reviews.users')} value={fmt.number(r.counts.total)} />
        <Stat label={t('reviews.certified')} value={fmt.number(r.counts.certified)} color="teal.9" />
        <Stat label={t('reviews.revoked')} value={fmt.number(r.counts.revoked)} color="red.9" />
        <Stat label={t('reviews.undecided')} value={fmt.number(r.counts.undecided)} />
        <Stat
          label={t('reviews.escalated')}
          value={fmt.number(r.counts.escalated)}
          color={r.counts.escalated ? 'orange.8' : undefined}
        />
      </SimpleGrid>
      {r.evidenceSha256 ? (
        <Alert color="gray" variant="light" mb="lg" title={t('reviews.evidence')}>
          <Text size="sm">{t('reviews.evidenceHint')}</Text>
          <Text size="xs" ff="monospace" className="ltr-value" mt={4} style={{ wordBreak: 'break-all' }}>
            SHA-256 {r.evidenceSha256}
          </Text>
        </Alert>
      ) : null}
      <Paper withBorder radius="md">
        {items.length === 0 ? (
          <EmptyState title={t('reviews.noItems')} />
        ) : (
          <Table.ScrollContainer minWidth={980}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reviews.user')}</Table.Th>
                  <Table.Th>{t('reviews.rolesTeams')}</Table.Th>
                  <Table.Th>{t('reviews.permissions')}</Table.Th>
                  <Table.Th>{t('reviews.lastActivity')}</Table.Th>
                  <Table.Th>{t('reviews.decision')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <ReviewItemRow
                    key={item.id}
                    item={item}
                    open={open}
                    self={item.userId === me.id}
                    busy={decision.isPending}
                    onCertify={() => decision.mutate({ item, decision: 'certify' })}
                    onRevoke={() => {
                      decision.reset();
                      setRevoking(item);
                    }}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Modal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('reviews.revokeTitle', { name: revoking?.name ?? '' })}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (revoking) decision.mutate({ item: revoking, decision: 'revoke', comment: comment.trim() || undefined });
          }}
        >
          <Stack>
            <Text size="sm">{t('reviews.revokeText')}</Text>
            {decision.isError ? <ErrorAlert error={decision.error} /> : null}
            <Textarea
              label={t('reviews.comment')}
              maxLength={1000}
              autosize
              minRows={2}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRevoking(null)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="red" loading={decision.isPending}>
                {t('reviews.revokeConfirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal opened={closing} onClose={() => setClosing(false)} title={t('reviews.closeTitle')}>
        {closing ? <CloseDialog review={r} onClose={() => setClosing(false)} /> : null}
      </Modal>
    </>
  );
}
