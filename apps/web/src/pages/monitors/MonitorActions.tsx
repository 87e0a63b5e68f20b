/** Run now and delete, for editors; each reports its error in place and tells the page to reload. */
import { useState } from 'react';
import { Button, Group } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import type { MonitorRun } from '../../api/types.js';
import { ErrorState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';

/** The two buttons of one monitor. */
export const MonitorActions = ({
  name,
  onRan,
  onDeleted,
}: {
  readonly name: string;
  readonly onRan: (run: MonitorRun) => void;
  readonly onDeleted: () => void;
}) => {
  const { t } = useI18n();
  const [busy, setBusy] = useState<'run' | 'delete' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = <T,>(kind: 'run' | 'delete', action: () => Promise<T>, done: (value: T) => void) => {
    setBusy(kind);
    setError(null);
    action()
      .then(done, setError)
      .finally(() => setBusy(null));
  };
  return (
    <>
      <Group gap="xs" wrap="nowrap">
        <Button
          size="compact-xs"
          variant="light"
          loading={busy === 'run'}
          disabled={busy !== null}
          onClick={() =>
            act(
              'run',
              () => api.runMonitorNow(name),
              (result) => onRan(result.run),
            )
          }
          data-testid="monitor-run-now"
        >
          {t('monitors.runNow')}
        </Button>
        <Button
          size="compact-xs"
          variant="subtle"
          color="red"
          loading={busy === 'delete'}
          disabled={busy !== null}
          onClick={() => {
            if (window.confirm(t('monitors.confirmDelete', { name })))
              act('delete', () => api.deleteMonitor(name), onDeleted);
          }}
          data-testid="monitor-delete"
        >
          {t('monitors.delete')}
        </Button>
      </Group>
      {error !== null && <ErrorState error={error} />}
    </>
  );
};
