import { Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notify } from '../../../lib/notify';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { changePassword } from '../api/profile.api';

export function PasswordCard() {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: { current: '', next: '', repeat: '' },
    validate: {
      current: (v) => (v ? null : t('auth.passwordRequired')),
      next: (v) => ([...v].length >= 12 ? null : t('profile.passwordTooShort')),
      repeat: (v, all) => (v === all.next ? null : t('profile.passwordMismatch')),
    },
  });
  const save = useMutation({
    mutationFn: (v: { current: string; next: string }) => changePassword(v.current, v.next),
    onSuccess: () => {
      form.reset();
      notify({ color: 'green', message: t('profile.passwordChanged') });
    },
  });
  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} fz="lg">
        {t('profile.password')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('profile.passwordHint')}
      </Text>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack gap="sm" maw={420}>
          {save.isError ? <ErrorAlert error={save.error} /> : null}
          <PasswordInput
            label={t('profile.currentPassword')}
            autoComplete="current-password"
            required
            {...form.getInputProps('current')}
          />
          <PasswordInput
            label={t('profile.newPassword')}
            autoComplete="new-password"
            required
            {...form.getInputProps('next')}
          />
          <PasswordInput
            label={t('profile.repeatPassword')}
            autoComplete="new-password"
            required
            {...form.getInputProps('repeat')}
          />
          <Button type="submit" loading={save.isPending} w="fit-content">
            {t('profile.changePassword')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
