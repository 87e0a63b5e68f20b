/**
 * Where the run's exports to external trackers stand (its W&B and MLflow sinks): a link to the run's page in
 * the tracker once exported; otherwise the attempt count and the tracker's last answer, and for
 * editors a button that makes a given-up export due again.
 */
import { Anchor, Badge, Button, Group, Tooltip } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/use-api.js';
import { useCanEdit } from '../../auth/auth.js';
import { useI18n } from '../../i18n/i18n.js';

const SINK_LABEL = { wandb: 'W&B', mlflow: 'MLflow' } as const;

/** Nothing for runs without external sinks. */
export const RunExports = ({ runId }: { readonly runId: string }) => {
  const { t } = useI18n();
  const canEdit = useCanEdit();
  const exports = useApi(`run-exports:${runId}`, () => api.runExports(runId));
  if (exports.status !== 'ready' || exports.data.exports.length === 0) return null;
  return (
    <Group gap="xs" data-testid="run-exports">
      {exports.data.exports.map((entry) => {
        const label = SINK_LABEL[entry.sink];
        if (entry.status === 'exported' && entry.external_url !== null)
          return (
            <Anchor
              key={entry.sink}
              href={entry.external_url}
              target="_blank"
              rel="noopener noreferrer"
              size="sm"
            >
              {t('run.openInTracker', { tracker: label })}
            </Anchor>
          );
        return (
          <Group key={entry.sink} gap={4}>
            <Tooltip label={entry.last_error ?? t('run.exportWaiting')} multiline w={360}>
              <Badge color={entry.status === 'failed' ? 'red' : 'gray'} variant="light">
                {t(entry.status === 'failed' ? 'run.exportFailed' : 'run.exportPending', {
                  tracker: label,
                  attempts: entry.attempts,
                })}
              </Badge>
            </Tooltip>
            {canEdit && entry.status === 'failed' && (
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => void api.retryRunExports(runId).then(exports.reload)}
              >
                {t('run.exportRetry')}
              </Button>
            )}
          </Group>
        );
      })}
    </Group>
  );
};
