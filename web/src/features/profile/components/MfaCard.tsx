import { Badge, Group, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PasskeyEnrolment } from '../../../components/security/PasskeyEnrolment';
import { TotpEnrolment } from '../../../components/security/TotpEnrolment';
import { LoadingState } from '../../../components/States';
import { mfaStatus } from '../../../lib/api/mfa';
import { FUTURE, useCapabilities } from '../../../lib/capabilities';
import { useFormat } from '../../../lib/format';

/**
 * Two-step verification on the profile: the methods in use (passkeys, authenticator app, recovery codes
 * left) and adding one the role's policy allows. Appears when the server offers the MFA API.
 */
export function MfaCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const caps = useCapabilities();
  const qc = useQueryClient();
  const available = caps.has('/me/mfa');
  const status = useQuery({ queryKey: ['me', 'mfa'], queryFn: mfaStatus, enabled: available });
  if (!available && !caps.has(FUTURE.totpEnrol, 'post')) return null;
  const refresh = () => void qc.invalidateQueries({ queryKey: ['me', 'mfa'] });
  const allowed = status.data?.allowedMethods ?? ['totp'];
  const canTotp = allowed.includes('totp') && !status.data?.totp.enrolled;
  const canPasskey = allowed.includes('webauthn');

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} fz="lg">
        {t('profile.mfa')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('profile.mfaHint')}
      </Text>
      {status.isPending && available ? <LoadingState /> : null}
      {status.isError ? <ErrorAlert error={status.error} /> : null}
      {status.data ? (
        <Stack gap={6} mb="md">
          {status.data.webauthn.map((k) => (
            <Group key={k.id} gap="xs">
              <Badge variant="light" color="green">
                {t('setup.passkey')}
              </Badge>
              <Text size="sm">{k.name}</Text>
              <Text size="xs" c="dimmed">
                {fmt.date(k.createdAt)}
              </Text>
            </Group>
          ))}
          {status.data.totp.enrolled ? (
            <Group gap="xs">
              <Badge variant="light" color="green">
                {t('setup.authenticatorApp')}
              </Badge>
              <Text size="xs" c="dimmed">
                {fmt.date(status.data.totp.confirmedAt)}
              </Text>
            </Group>
          ) : null}
          <Text size="xs" c="dimmed">
            {t('profile.recoveryLeft', {
              remaining: fmt.number(status.data.recoveryCodes.remaining),
              total: fmt.number(status.data.recoveryCodes.total),
            })}
          </Text>
        </Stack>
      ) : null}
      {canTotp || canPasskey ? (
        <Tabs defaultValue={canPasskey ? 'webauthn' : 'totp'}>
          <Tabs.List mb="md">
            {canPasskey ? <Tabs.Tab value="webauthn">{t('setup.addPasskey')}</Tabs.Tab> : null}
            {canTotp ? <Tabs.Tab value="totp">{t('setup.authenticatorApp')}</Tabs.Tab> : null}
          </Tabs.List>
          <Tabs.Panel value="webauthn">
            <PasskeyEnrolment onDone={refresh} />
          </Tabs.Panel>
          <Tabs.Panel value="totp">
            <TotpEnrolment onDone={refresh} />
          </Tabs.Panel>
        </Tabs>
      ) : null}
    </Paper>
  );
}
