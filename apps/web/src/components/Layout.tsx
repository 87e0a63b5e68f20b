/** The signed-in frame: header with navigation, language switch and sign-out; the page below. */
import { AppShell, Badge, Button, Group, SegmentedControl, Text, Title } from '@mantine/core';
import { NavLink, Outlet } from 'react-router-dom';
import { hasRole, useAuth, useUser } from '../auth/auth.js';
import { LANGUAGES, type Language } from '../i18n/dictionary.js';
import { useI18n } from '../i18n/i18n.js';
import { NAV_PAGES } from '../pages/registry.js';

/** Header + content of every signed-in page. */
export const Layout = () => {
  const { t, language, setLanguage } = useI18n();
  const { signOut } = useAuth();
  const user = useUser();
  // Pages above the user's role stay out of the header (their API answers 403 anyway).
  const navPages = NAV_PAGES.filter((page) => hasRole(user, 'access' in page ? page.access : 'viewer'));
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Title order={4}>{t('app.title')}</Title>
            <nav aria-label={t('nav.label')}>
              <Group gap={4} wrap="nowrap">
                {navPages.map((page) => (
                  <Button
                    key={page.path}
                    component={NavLink}
                    to={page.path}
                    variant="subtle"
                    size="compact-sm"
                    data-testid={`nav-${page.id}`}
                  >
                    {t(page.label)}
                  </Button>
                ))}
              </Group>
            </nav>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SegmentedControl
              size="xs"
              aria-label={t('nav.language')}
              data-testid="language-switch"
              value={language}
              onChange={(value) => setLanguage(value as Language)}
              data={LANGUAGES.map((id) => ({ value: id, label: id === 'en' ? 'EN' : '日本語' }))}
            />
            {user !== undefined && (
              <Text size="sm" data-testid="current-user">
                {user.username} <Badge size="xs">{t(`role.${user.role}`)}</Badge>
              </Text>
            )}
            <Button size="compact-sm" variant="default" onClick={() => void signOut()} data-testid="sign-out">
              {t('action.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
};
