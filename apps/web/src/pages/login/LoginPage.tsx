/** Sign in with a local account. */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { ApiError } from '../../api/client.js';
import { useAuth } from '../../auth/auth.js';
import { errorText } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';

/** The login form. */
export const LoginPage = () => {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(username, password);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? t('login.failed') : errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center h="100vh">
      <Paper withBorder p="xl" w={360} component="form" onSubmit={(event) => void submit(event)}>
        <Stack>
          <Title order={3}>{t('app.title')}</Title>
          <TextInput
            label={t('login.username')}
            value={username}
            onChange={(event) => setUsername(event.currentTarget.value)}
            autoComplete="username"
            required
            data-testid="login-username"
            autoFocus
          />
          <PasswordInput
            label={t('login.password')}
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            autoComplete="current-password"
            required
            data-testid="login-password"
          />
          {error !== undefined && (
            <Alert color="red" role="alert" data-testid="login-error">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
};
