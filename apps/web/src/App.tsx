/** Providers, the session gate and the routes. */
import { Button, Center, Loader, MantineProvider, Stack } from '@mantine/core';
import { Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth/auth.js';
import { ErrorState } from './components/AsyncView.js';
import { Layout } from './components/Layout.js';
import { I18nProvider, useI18n } from './i18n/i18n.js';
import { LoginPage } from './pages/login/LoginPage.js';
import { PAGES } from './pages/registry.js';

/** Shown while a page's code loads (first visit only). */
const PageLoading = () => {
  const { t } = useI18n();
  return (
    <Center h="50vh">
      <Loader aria-label={t('state.loading')} />
    </Center>
  );
};

const SignedInRoutes = () => (
  <Routes>
    <Route element={<Layout />}>
      {PAGES.map(({ id, path, component: Page }) => (
        <Route
          key={id}
          path={path}
          element={
            <Suspense fallback={<PageLoading />}>
              <Page />
            </Suspense>
          }
        />
      ))}
      <Route path="*" element={<Navigate to="/data" replace />} />
    </Route>
  </Routes>
);

const SessionGate = () => {
  const { session, retry } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  if (session.state === 'checking') {
    return (
      <Center h="100vh">
        <Loader aria-label={t('state.loading')} />
      </Center>
    );
  }
  if (session.state === 'unreachable') {
    return (
      <Center h="100vh">
        <Stack>
          <ErrorState error={session.error} />
          <Button onClick={retry}>{t('action.retry')}</Button>
        </Stack>
      </Center>
    );
  }
  if (session.state === 'signed-out') {
    return location.pathname === '/login' ? (
      <LoginPage />
    ) : (
      <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />
    );
  }
  if (location.pathname === '/login') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from ?? '/data'} replace />;
  }
  return <SignedInRoutes />;
};

/** The whole app. */
export const App = () => (
  <MantineProvider defaultColorScheme="light">
    <I18nProvider>
      <BrowserRouter>
        <AuthProvider>
          <SessionGate />
        </AuthProvider>
      </BrowserRouter>
    </I18nProvider>
  </MantineProvider>
);
