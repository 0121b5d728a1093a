import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Classification } from '../../lib/api/types';

const COLOR: Record<Classification, string> = {
  public: 'gray',
  internal: 'blue',
  confidential: 'yellow',
  restricted: 'orange',
  pci: 'red',
};

export function ClassificationBadge({ value }: { value: Classification }) {
  const { t } = useTranslation();
  return (
    <Badge size="xs" variant="light" color={COLOR[value]}>
      {t(`classification.${value}`)}
    </Badge>
  );
}
