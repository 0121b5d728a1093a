import { Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { LanguageSwitch } from '../../../components/LanguageSwitch';
import { Logo } from '../../../components/Logo';
import { ME_KEY, fetchMe, useMe } from '../../../lib/session';
import { login, type LoginOutcome } from '../api/auth.api';
import { TotpStep } from './TotpStep';

/** Only same-app paths are followed after sign-in (no open redirect through ?next=). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useMe();
  const [mfaMethods, setMfaMethods] = useState<string[] | null>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() === '' ? t('auth.emailRequired') : null),
      password: (v) => (v === '' ? t('auth.passwordRequired') : null),
    },
  });

  const finish = async (outcome: LoginOutcome) => {
    if (outcome.kind === 'mfa') {
      setMfaMethods(outcome.methods);
      return;
    }
    if (outcome.kind === 'setup') {
      await navigate(`/setup?next=${encodeURIComponent(safeNext(params.get('next')))}`, { replace: true });
      return;
    }
    const user = await fetchMe();
    qc.setQueryData(ME_KEY, user);
    await navigate(safeNext(params.get('next')), { replace: true });
  };

  const signIn = useMutation({
    mutationFn: (v: { email: string; password: string }) => login(v.email.trim(), v.password),
    onSuccess: finish,
  });

  if (me.data && mfaMethods === null && !signIn.isPending && !signIn.isSuccess) {
    return <Navigate to={safeNext(params.get('next'))} replace />;
  }

  return (
    <Box bg="gray.0" mih="100vh">
      <Group justify="space-between" p="md">
        <Logo />
        <LanguageSwitch />
      </Group>
      <Center px="md" pt={40} pb={80}>
        <Paper withBorder shadow="sm" p="xl" radius="lg" w="100%" maw={420}>
          <main>
            {mfaMethods === null ? (
              <form onSubmit={form.onSubmit((v) => signIn.mutate(v))} noValidate>
                <Stack gap="md">
                  <div>
                    <Title order={1} fz={24}>
                      {t('auth.title')}
                    </Title>
                    <Text c="dimmed" size="sm" mt={4}>
                      {t('auth.subtitle')}
                    </Text>
                  </div>
                  {signIn.isError ? <ErrorAlert error={signIn.error} /> : null}
                  <TextInput
                    label={t('auth.email')}
                    type="email"
                    autoComplete="username"
                    required
                    classNames={{ input: 'ltr-value' }}
                    {...form.getInputProps('email')}
                  />
                  <PasswordInput
                    label={t('auth.password')}
                    autoComplete="current-password"
                    required
                    {...form.getInputProps('password')}
                  />
                  <Button type="submit" loading={signIn.isPending} fullWidth size="md">
                    {t('auth.signIn')}
                  </Button>
                  <Text size="xs" c="dimmed" ta="center">
                    {t('auth.noAccount')}
                  </Text>
                </Stack>
              </form>
            ) : (
              <TotpStep methods={mfaMethods} onDone={finish} onCancel={() => setMfaMethods(null)} />
            )}
          </main>
        </Paper>
      </Center>
    </Box>
  );
}
