import { Button, Divider, Group, Modal, PasswordInput, PinInput, Stack, Text } from '@mantine/core';
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { IconKey } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adoptRotatedSession, callContract } from '../../lib/api/client';
import { mfaStatus } from '../../lib/api/mfa';
import { asciiDigits } from '../../lib/jalali';
import { ErrorAlert } from '../ErrorAlert';
import { LoadingState } from '../States';

type Answer = { method: 'totp'; code: string } | { method: 'webauthn' } | { method: 'password'; password: string };

async function stepUp(a: Answer): Promise<void> {
  let res: { csrfToken: string };
  if (a.method === 'webauthn') {
    const optionsJSON = await callContract<PublicKeyCredentialRequestOptionsJSON>(
      'POST',
      '/auth/step-up/webauthn/options',
    );
    const credential = await startAuthentication({ optionsJSON });
    res = await callContract('POST', '/auth/step-up/webauthn', { credential });
  } else if (a.method === 'totp') {
    res = await callContract('POST', '/auth/step-up/totp', { code: a.code });
  } else {
    res = await callContract('POST', '/auth/step-up/password', { password: a.password });
  }
  // Step-up starts a new session id; its CSRF token replaces the old one (in every tab).
  adoptRotatedSession(res.csrfToken);
}

/**
 * "Confirm it is you": shown when a sensitive action answers SEPAR_ERR_STEP_UP_REQUIRED. The person answers with
 * a passkey, an authenticator-app code, or (accounts without MFA) the password; the action then runs again.
 */
export function StepUpDialog({ onDone }: { onDone: (ok: boolean) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const status = useQuery({ queryKey: ['me', 'mfa'], queryFn: mfaStatus, staleTime: 30_000 });
  const confirm = useMutation({ mutationFn: stepUp, onSuccess: () => onDone(true) });
  const finish = onDone;

  const totp = status.data?.totp.enrolled === true;
  const passkey = (status.data?.webauthn.length ?? 0) > 0;
  const submitCode = (c: string) => confirm.mutate({ method: 'totp', code: asciiDigits(c).replace(/\s/g, '') });

  return (
    <Modal opened onClose={() => finish(false)} title={t('stepUp.title')}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('stepUp.explain')}
        </Text>
        {confirm.isError ? <ErrorAlert error={confirm.error} /> : null}
        {status.isPending ? (
          <LoadingState />
        ) : status.isError ? (
          <ErrorAlert error={status.error} />
        ) : (
          <>
            {passkey ? (
              <Button
                leftSection={<IconKey size={18} />}
                variant={totp ? 'light' : 'filled'}
                loading={confirm.isPending && confirm.variables.method === 'webauthn'}
                onClick={() => confirm.mutate({ method: 'webauthn' })}
                data-autofocus
              >
                {t('auth.usePasskey')}
              </Button>
            ) : null}
            {passkey && totp ? <Divider label={t('auth.or')} /> : null}
            {totp ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  submitCode(code);
                }}
              >
                <Stack>
                  <Group justify="center" dir="ltr">
                    <PinInput
                      length={6}
                      type={/^[0-9۰-۹٠-٩]$/}
                      inputMode="numeric"
                      oneTimeCode
                      ariaLabel={t('auth.totpCode')}
                      value={code}
                      onChange={setCode}
                      onComplete={submitCode}
                    />
                  </Group>
                  <Button type="submit" loading={confirm.isPending && confirm.variables.method === 'totp'}>
                    {t('auth.verify')}
                  </Button>
                </Stack>
              </form>
            ) : null}
            {!passkey && !totp ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  confirm.mutate({ method: 'password', password });
                }}
              >
                <Stack>
                  <PasswordInput
                    label={t('auth.password')}
                    autoComplete="current-password"
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    data-autofocus
                  />
                  <Button type="submit" disabled={!password} loading={confirm.isPending}>
                    {t('auth.verify')}
                  </Button>
                </Stack>
              </form>
            ) : null}
          </>
        )}
        <Button variant="subtle" onClick={() => finish(false)}>
          {t('common.cancel')}
        </Button>
      </Stack>
    </Modal>
  );
}
