import { Box, Button, Center, Group, Paper, PasswordInput, Stack, Tabs, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';
import { PasskeyEnrolment } from '../../components/security/PasskeyEnrolment';
import { TotpEnrolment } from '../../components/security/TotpEnrolment';
import { LoadingState } from '../../components/States';
import { api, unwrap } from '../../lib/api/client';
import { isApiError } from '../../lib/api/problem';
import { sessionState } from '../../lib/api/mfa';

function PasswordStep({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: { current: '', next: '' },
    validate: { next: (v) => ([...v].length >= 12 ? null : t('profile.passwordTooShort')) },
  });
  const save = useMutation({
    mutationFn: (v: { current: string; next: string }) =>
      unwrap(api.POST('/api/v1/me/password', { body: { currentPassword: v.current, newPassword: v.next } })),
    onSuccess: onDone,
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack gap="sm" maw={420}>
        <Text size="sm">{t('setup.passwordHint')}</Text>
        {save.isError ? <ErrorAlert error={save.error} /> : null}
        <PasswordInput
          label={t('profile.currentPassword')}
          autoComplete="current-password"
          {...form.getInputProps('current')}
        />
        <PasswordInput label={t('profile.newPassword')} autoComplete="new-password" {...form.getInputProps('next')} />
        <Button type="submit" loading={save.isPending} w="fit-content">
          {t('profile.changePassword')}
        </Button>
      </Stack>
    </form>
  );
}

/**
 * First sign-in: the server lets a new session do nothing but finish setting up the account — enrol a
 * second factor (authenticator app or passkey, as the role's policy allows) and, if asked, change the
 * initial password. GET /auth/session says what is left.
 */
export function AccountSetupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const qc = useQueryClient();
  const state = useQuery({ queryKey: ['auth-session'], queryFn: sessionState, retry: false });
  const next =
    params.get('next')?.startsWith('/') && !params.get('next')?.startsWith('//') ? (params.get('next') ?? '/') : '/';
  const refresh = () => void qc.invalidateQueries({ queryKey: ['auth-session'] });

  if (state.isPending) return <LoadingState />;
  if (state.isError) {
    if (isApiError(state.error) && state.error.status === 401) return <Navigate to="/login" replace />;
    return <ErrorAlert error={state.error} />;
  }
  const s = state.data;
  if (s.kind === 'full' || s.setupRequired.length === 0) {
    void qc.invalidateQueries();
    return <Navigate to={next} replace />;
  }
  const enrol = s.setupRequired.includes('mfa-enrolment');
  const methods = s.mfaMethods.filter((m) => m === 'totp' || m === 'webauthn');

  return (
    <Box bg="gray.0" mih="100vh">
      <Group justify="space-between" p="md">
        <Logo />
        <LanguageSwitch />
      </Group>
      <Center px="md" pt={24} pb={80}>
        <Paper withBorder shadow="sm" p="xl" radius="lg" w="100%" maw={680}>
          <main>
            <Stack gap="md">
              <div>
                <Title order={1} fz={24}>
                  {t('setup.title')}
                </Title>
                <Text c="dimmed" size="sm" mt={4}>
                  {enrol ? t('setup.hint') : t('setup.passwordTitle')}
                </Text>
              </div>
              {enrol ? (
                <Tabs defaultValue={methods[0] ?? 'totp'}>
                  <Tabs.List mb="md">
                    {methods.includes('webauthn') ? <Tabs.Tab value="webauthn">{t('setup.passkey')}</Tabs.Tab> : null}
                    {methods.includes('totp') ? <Tabs.Tab value="totp">{t('setup.authenticatorApp')}</Tabs.Tab> : null}
                  </Tabs.List>
                  <Tabs.Panel value="webauthn">
                    <PasskeyEnrolment onDone={refresh} />
                  </Tabs.Panel>
                  <Tabs.Panel value="totp">
                    <TotpEnrolment onDone={refresh} />
                  </Tabs.Panel>
                </Tabs>
              ) : (
                <PasswordStep onDone={refresh} />
              )}
              <Button variant="subtle" size="xs" w="fit-content" onClick={() => void navigate('/login')}>
                {t('common.back')}
              </Button>
            </Stack>
          </main>
        </Paper>
      </Center>
    </Box>
  );
}
