import { AppShell, Avatar, Burger, Group, Menu, NavLink, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAddressBook,
  IconBuilding,
  IconChartBar,
  IconChecklist,
  IconColumns3,
  IconLogout,
  IconShieldLock,
  IconUserCircle,
  IconUsers,
  IconForms,
  IconKey,
  IconLockAccess,
  IconUserCheck,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../../lib/api/client';
import { FUTURE, useCapabilities } from '../../lib/capabilities';
import { useMyAccess } from '../../lib/access';
import { canReadAudit, ME_KEY, useCurrentUser } from '../../lib/session';
import { StepUpHost } from '../../components/security/StepUpHost';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
}

export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const me = useCurrentUser();
  const caps = useCapabilities();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();

  const access = useMyAccess();
  const when = (ok: boolean, item: NavItem): NavItem[] => (ok ? [item] : []);
  // Objects the person's roles cannot read are left out (all are shown until the answer arrives).
  const reads = (object: string) => !access.ready || access.canRead(object);
  const main: NavItem[] = [
    { to: '/', label: t('nav.dashboard'), icon: <IconChartBar size={18} /> },
    ...when(reads('contacts'), { to: '/contacts', label: t('nav.contacts'), icon: <IconAddressBook size={18} /> }),
    ...when(reads('companies'), { to: '/companies', label: t('nav.companies'), icon: <IconBuilding size={18} /> }),
    ...when(reads('deals'), { to: '/deals', label: t('nav.deals'), icon: <IconColumns3 size={18} /> }),
    ...when(reads('activities'), { to: '/tasks', label: t('nav.tasks'), icon: <IconChecklist size={18} /> }),
  ];
  const admin: NavItem[] = [
    ...when(access.can('manage-users'), { to: '/admin/users', label: t('nav.users'), icon: <IconUsers size={18} /> }),
    ...when(access.can('manage-users') && caps.has(FUTURE.teams), {
      to: '/admin/teams',
      label: t('nav.teams'),
      icon: <IconUsersGroup size={18} />,
    }),
    ...when(access.can('manage-roles') && caps.has(FUTURE.roles), {
      to: '/admin/roles',
      label: t('nav.roles'),
      icon: <IconLockAccess size={18} />,
    }),
    ...when(access.can('manage-fields'), {
      to: '/admin/fields',
      label: t('nav.fields'),
      icon: <IconForms size={18} />,
    }),
  ];
  const security: NavItem[] = [
    ...when(caps.has(FUTURE.audit) && canReadAudit(me), {
      to: '/security/audit',
      label: t('nav.audit'),
      icon: <IconShieldLock size={18} />,
    }),
    ...when(access.can('review-access') && caps.has(FUTURE.accessReviews), {
      to: '/security/access-reviews',
      label: t('nav.accessReviews'),
      icon: <IconUserCheck size={18} />,
    }),
    ...when(access.can('manage-keys') && caps.has(FUTURE.keys), {
      to: '/security/keys',
      label: t('nav.keys'),
      icon: <IconKey size={18} />,
    }),
  ];

  const isActive = (to: string) => (to === '/' ? location.pathname === '/' : location.pathname.startsWith(to));
  const links = (items: NavItem[]) =>
    items.map((i) => (
      <NavLink
        key={i.to}
        component={Link}
        to={i.to}
        label={i.label}
        leftSection={i.icon}
        active={isActive(i.to)}
        onClick={close}
        aria-current={isActive(i.to) ? 'page' : undefined}
        style={{ borderRadius: 8 }}
      />
    ));

  const signOut = async () => {
    await api.POST('/api/v1/auth/logout');
    qc.clear();
    qc.setQueryData(ME_KEY, null);
    await navigate('/login');
  };

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <UnstyledButton component={Link} to="/" aria-label={t('nav.home')}>
              <Logo />
            </UnstyledButton>
          </Group>
          <Group gap="md" wrap="nowrap">
            <LanguageSwitch signedIn />
            <Menu position="bottom-end" width={220}>
              <Menu.Target>
                <UnstyledButton aria-label={t('nav.account')} data-testid="user-menu">
                  <Group gap={8} wrap="nowrap">
                    <Avatar color="brand" radius="xl" size={32}>
                      {me.name.slice(0, 1).toUpperCase()}
                    </Avatar>
                    <Text size="sm" fw={500} visibleFrom="sm">
                      {me.name}
                    </Text>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me.email}</Menu.Label>
                <Menu.Item component={Link} to="/profile" leftSection={<IconUserCircle size={16} />}>
                  {t('nav.profile')}
                </Menu.Item>
                <Menu.Item
                  color="red"
                  leftSection={<IconLogout size={16} className="mirror-rtl" />}
                  onClick={() => void signOut()}
                >
                  {t('auth.signOut')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('nav.main')}>
        <ScrollArea>
          <Stack gap={2}>{links(main)}</Stack>
          {admin.length > 0 ? (
            <Stack gap={2} mt="lg">
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
                {t('nav.admin')}
              </Text>
              {links(admin)}
            </Stack>
          ) : null}
          {security.length > 0 ? (
            <Stack gap={2} mt="lg">
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
                {t('nav.security')}
              </Text>
              {links(security)}
            </Stack>
          ) : null}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Outlet />
        <StepUpHost />
      </AppShell.Main>
    </AppShell>
  );
}
