import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../lib/api/problem';

/** An error from the API as a sentence: the localised title for its code, and the server's detail. Never JSON. */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: unknown): { title: string; detail: string } => {
    if (isApiError(error)) {
      const title = t(`errors.${error.code}`, { defaultValue: t('errors.generic') });
      return { title, detail: error.detail };
    }
    return { title: t('errors.generic'), detail: error instanceof Error ? '' : '' };
  };
}

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const text = useErrorText()(error);
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title ?? text.title} role="alert">
      {text.detail ? <Text size="sm">{text.detail}</Text> : null}
    </Alert>
  );
}
