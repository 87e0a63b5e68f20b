/** Loading, error and empty states rendered the same way on every page. */
import type { ReactNode } from 'react';
import { Alert, Button, Center, Loader, Text } from '@mantine/core';
import { ApiError } from '../api/client.js';
import type { ApiResource } from '../api/use-api.js';
import { useI18n } from '../i18n/i18n.js';

/** The message of any error, with the API's code when there is one. */
export const errorText = (error: unknown): string =>
  error instanceof ApiError
    ? `${error.message} (${error.code})`
    : error instanceof Error
      ? error.message
      : String(error);

/** An error box with an optional retry button. */
export const ErrorState = ({
  error,
  onRetry,
}: {
  readonly error: unknown;
  readonly onRetry?: () => void;
}) => {
  const { t } = useI18n();
  return (
    <Alert color="red" title={t('state.error')} data-testid="error-state" role="alert">
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {errorText(error)}
      </Text>
      {onRetry !== undefined && (
        <Button size="xs" mt="xs" variant="light" onClick={onRetry}>
          {t('action.retry')}
        </Button>
      )}
    </Alert>
  );
};

/** The "nothing here yet" line. */
export const EmptyState = ({ children }: { readonly children: ReactNode }) => (
  <Text c="dimmed" data-testid="empty-state" py="md">
    {children}
  </Text>
);

/** A centred spinner. */
export const LoadingState = () => {
  const { t } = useI18n();
  return (
    <Center py="lg" data-testid="loading-state">
      <Loader size="sm" aria-label={t('state.loading')} />
    </Center>
  );
};

interface AsyncViewProps<T> {
  readonly resource: ApiResource<T>;
  /** True when the loaded data has nothing to show. */
  readonly isEmpty?: (data: T) => boolean;
  readonly empty?: ReactNode;
  readonly children: (data: T) => ReactNode;
}

/** Renders `children(data)` once loaded, and the shared states otherwise. */
export const AsyncView = <T,>({ resource, isEmpty, empty, children }: AsyncViewProps<T>) => {
  const { t } = useI18n();
  if (resource.status === 'idle') return null;
  if (resource.status === 'error' && resource.data === undefined) {
    return <ErrorState error={resource.error} onRetry={resource.reload} />;
  }
  const data = 'data' in resource ? resource.data : undefined;
  if (data === undefined) return <LoadingState />;
  if (isEmpty?.(data) === true) return <EmptyState>{empty ?? t('state.empty')}</EmptyState>;
  return (
    <>
      {resource.status === 'error' && <ErrorState error={resource.error} onRetry={resource.reload} />}
      {children(data)}
    </>
  );
};
