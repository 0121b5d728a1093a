import { Alert, Button, Code, Group, Image, PinInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { toString as qrSvg } from 'qrcode';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { confirmTotp, startTotp } from '../../lib/api/mfa';
import { asciiDigits } from '../../lib/jalali';
import { ErrorAlert } from '../ErrorAlert';

/**
 * Authenticator-app enrolment: the QR code and the base32 secret as text (for apps that cannot scan),
 * a code to confirm, then the recovery codes — shown once.
 */
export function TotpEnrolment({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const start = useMutation({ mutationFn: startTotp });
  const qr = useQuery({
    queryKey: ['totp-qr', start.data?.otpauthUrl],
    enabled: Boolean(start.data),
    queryFn: async () =>
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(await qrSvg(start.data?.otpauthUrl ?? '', { type: 'svg', margin: 1 }))}`,
  });
  const confirm = useMutation({ mutationFn: (c: string) => confirmTotp(asciiDigits(c)) });

  if (confirm.isSuccess) {
    return (
      <Stack>
        <Alert color="green" title={t('profile.mfaOn')}>
          {t('profile.recoveryOnce')}
        </Alert>
        <SimpleGrid cols={2} spacing="xs" maw={360} className="ltr-value" data-testid="recovery-codes">
          {confirm.data.map((c) => (
            <Code key={c} fz="sm">
              {c}
            </Code>
          ))}
        </SimpleGrid>
        {onDone ? (
          <Button onClick={onDone} w="fit-content">
            {t('setup.continue')}
          </Button>
        ) : null}
      </Stack>
    );
  }
  if (!start.data) {
    return (
      <Stack gap="sm">
        {start.isError ? <ErrorAlert error={start.error} /> : null}
        <Button onClick={() => start.mutate()} loading={start.isPending} w="fit-content">
          {t('profile.setupTotp')}
        </Button>
      </Stack>
    );
  }
  return (
    <Group align="flex-start" gap="xl">
      {qr.data ? <Image src={qr.data} alt={t('profile.qrAlt')} w={180} h={180} /> : null}
      <Stack gap="sm" maw={380}>
        <Text size="sm">{t('profile.scan')}</Text>
        <Text size="sm" fw={600}>
          {t('profile.orType')}
        </Text>
        <Code fz="md" className="ltr-value" data-testid="totp-secret">
          {start.data.secret}
        </Code>
        {confirm.isError ? <ErrorAlert error={confirm.error} /> : null}
        <Group dir="ltr">
          <PinInput
            length={6}
            type={/^[0-9۰-۹٠-٩]$/}
            inputMode="numeric"
            oneTimeCode
            value={code}
            onChange={setCode}
            ariaLabel={t('auth.totpCode')}
          />
        </Group>
        <Button
          onClick={() => confirm.mutate(code)}
          loading={confirm.isPending}
          disabled={code.length < 6}
          w="fit-content"
        >
          {t('profile.confirmMfa')}
        </Button>
      </Stack>
    </Group>
  );
}
