import { Group, Progress, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../../lib/format';
import type { ReviewSummary } from '../../api/access-review.api';

/** Certified / revoked / undecided as one bar with numbers. */
export function ReviewProgress({ counts }: { counts: ReviewSummary['counts'] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const pct = (n: number) => (counts.total === 0 ? 0 : (n / counts.total) * 100);
  const label = t('reviews.progress', {
    certified: fmt.number(counts.certified),
    revoked: fmt.number(counts.revoked),
    undecided: fmt.number(counts.undecided),
  });
  return (
    <Tooltip label={label}>
      <div>
        <Progress.Root size="lg" w={180}>
          <Progress.Section value={pct(counts.certified)} color="teal" aria-label={t('reviews.certified')} />
          <Progress.Section value={pct(counts.revoked)} color="red" aria-label={t('reviews.revoked')} />
        </Progress.Root>
        <Group gap={8} mt={4}>
          <Text size="xs" c="teal.9">
            {t('reviews.certifiedN', { n: fmt.number(counts.certified) })}
          </Text>
          <Text size="xs" c="red.9">
            {t('reviews.revokedN', { n: fmt.number(counts.revoked) })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('reviews.undecidedN', { n: fmt.number(counts.undecided) })}
          </Text>
        </Group>
      </div>
    </Tooltip>
  );
}
