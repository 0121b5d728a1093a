import { Button, Divider, Group, PinInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { asciiDigits } from '../../../lib/jalali';
import { completeSignIn, type LoginOutcome } from '../api/auth.api';

type Method = 'totp' | 'recovery' | 'webauthn';

/** Second step of sign-in: a passkey, a 6-digit code from the authenticator app, or a recovery code. */
export function TotpStep({
  methods,
  onDone,
  onCancel,
}: {
  methods: string[];
  onDone: (o: LoginOutcome) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const totp = methods.length === 0 || methods.includes('totp');
  const passkey = methods.includes('webauthn');
  const [recovery, setRecovery] = useState(!totp && !passkey);
  const verify = useMutation({
    mutationFn: ({ method, value }: { method: Method; value: string }) => completeSignIn(method, value),
    onSuccess: onDone,
  });
  const submit = (c: string) =>
    verify.mutate({ method: recovery ? 'recovery' : 'totp', value: asciiDigits(c).replace(/\s/g, '') });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit(code);
      }}
    >
      <Stack gap="md">
        <div>
          <Title order={1} fz={24}>
            {t('auth.mfaTitle')}
          </Title>
          <Text c="dimmed" size="sm" mt={4}>
            {recovery ? t('auth.recoveryHint') : totp ? t('auth.totpHint') : t('auth.passkeyHint')}
          </Text>
        </div>
        {verify.isError ? <ErrorAlert error={verify.error} /> : null}
        {passkey && !recovery ? (
          <Button
            leftSection={<IconKey size={18} />}
            variant={totp ? 'light' : 'filled'}
            size="md"
            loading={verify.isPending && verify.variables.method === 'webauthn'}
            onClick={() => verify.mutate({ method: 'webauthn', value: '' })}
          >
            {t('auth.usePasskey')}
          </Button>
        ) : null}
        {passkey && totp && !recovery ? <Divider label={t('auth.or')} /> : null}
        {totp && !recovery ? (
          <Group justify="center" dir="ltr">
            <PinInput
              length={6}
              type={/^[0-9۰-۹٠-٩]$/}
              inputMode="numeric"
              oneTimeCode
              autoFocus
              ariaLabel={t('auth.totpCode')}
              value={code}
              onChange={setCode}
              onComplete={submit}
            />
          </Group>
        ) : null}
        {recovery ? (
          <TextInput
            label={t('auth.recoveryCode')}
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            classNames={{ input: 'ltr-value' }}
          />
        ) : null}
        {totp || recovery ? (
          <Button type="submit" loading={verify.isPending} fullWidth size="md">
            {t('auth.verify')}
          </Button>
        ) : null}
        <Group justify="space-between">
          <Button variant="subtle" size="xs" onClick={onCancel}>
            {t('common.back')}
          </Button>
          <Button
            variant="subtle"
            size="xs"
            onClick={() => {
              setRecovery((r) => !r);
              setCode('');
            }}
          >
            {recovery ? t('auth.useTotp') : t('auth.useRecovery')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
