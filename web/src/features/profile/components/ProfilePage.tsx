import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../../components/LanguageSwitch';
import { PageHeader } from '../../../components/PageHeader';
import { useCurrentUser } from '../../../lib/session';
import { MfaCard } from './MfaCard';
import { PasswordCard } from './PasswordCard';
import { SessionsCard } from './SessionsCard';
import { TokensCard } from './TokensCard';

export function ProfilePage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  return (
    <>
      <PageHeader title={t('nav.profile')} description={`${me.name} · ${me.email}`} />
      <Stack gap="lg">
        <Paper withBorder p="lg" radius="md">
          <Group justify="space-between">
            <div>
              <Title order={2} fz="lg">
                {t('common.language')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('profile.languageHint')}
              </Text>
            </div>
            <LanguageSwitch signedIn />
          </Group>
        </Paper>
        <MfaCard />
        <PasswordCard />
        <TokensCard />
        <SessionsCard />
      </Stack>
    </>
  );
}
