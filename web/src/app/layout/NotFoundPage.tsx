import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/States';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyState
      title={t('errors.notFoundTitle')}
      hint={t('errors.notFoundHint')}
      action={
        <Button component={Link} to="/" variant="light">
          {t('nav.dashboard')}
        </Button>
      }
    />
  );
}
