import { Alert, Button, Code, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { registerPasskey } from '../../lib/api/mfa';
import { ErrorAlert } from '../ErrorAlert';

/** Register a passkey or security key (phishing-resistant); the first method also yields recovery codes. */
export function PasskeyEnrolment({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const register = useMutation({ mutationFn: () => registerPasskey(name.trim() || t('setup.defaultKeyName')) });
  if (register.isSuccess) {
    return (
      <Stack>
        <Alert color="green" title={t('setup.passkeyAdded')}>
          {register.data.length > 0 ? t('profile.recoveryOnce') : null}
        </Alert>
        {register.data.length > 0 ? (
          <SimpleGrid cols={2} spacing="xs" maw={360} className="ltr-value" data-testid="recovery-codes">
            {register.data.map((c) => (
              <Code key={c} fz="sm">
                {c}
              </Code>
            ))}
          </SimpleGrid>
        ) : null}
        {onDone ? (
          <Button onClick={onDone} w="fit-content">
            {t('setup.continue')}
          </Button>
        ) : null}
      </Stack>
    );
  }
  return (
    <Stack gap="sm" maw={420}>
      {register.isError ? <ErrorAlert error={register.error} /> : null}
      <TextInput
        label={t('setup.keyName')}
        placeholder={t('setup.defaultKeyName')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <Button
        leftSection={<IconKey size={18} />}
        onClick={() => register.mutate()}
        loading={register.isPending}
        w="fit-content"
      >
        {t('setup.addPasskey')}
      </Button>
    </Stack>
  );
}
