/** A sweep live: progress counts, its runs, and the chosen run's losses, trials and resources. */
import { useCallback, useEffect, useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link, useParams } from 'react-router-dom';
import { ComparisonPanel } from '../../analysis/ComparisonPanel.js';
import { LeaderboardPanel } from '../../analysis/LeaderboardPanel.js';
import { api } from '../../api/endpoints.js';
import type { Sweep } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useLiveEvents, type LiveEvent } from '../../api/use-events.js';
import { useRunLive } from '../../api/use-run-live.js';
import { useCanEdit } from '../../auth/auth.js';
import { AsyncView, ErrorState } from '../../components/AsyncView.js';
import { ReportsPanel } from '../../reports/ReportsPanel.js';
import { useI18n } from '../../i18n/i18n.js';
import { LiveCharts } from '../../runs/LiveCharts.js';
import { StatusBadge } from '../../runs/StatusBadge.js';
import { TrialsTable } from '../../runs/TrialsTable.js';
import { isActiveStatus } from '../../runs/shown-status.js';

const COUNTS = ['runs_finished', 'runs_running', 'runs_failed', 'runs_cancelled', 'runs_queued'] as const;
const COUNT_COLORS = {
  runs_finished: 'green',
  runs_running: 'blue',
  runs_failed: 'red',
  runs_cancelled: 'orange',
  runs_queued: 'gray',
} as const;

const Progressbar = ({ sweep }: { readonly sweep: Sweep }) => {
  const { t, format } = useI18n();
  const total = Math.max(
    sweep.planned_runs ?? 0,
    COUNTS.reduce((sum, key) => sum + sweep[key], 0),
    1,
  );
  return (
    <Stack gap="xs">
      <Progress.Root size="lg" aria-label={t('sweep.progress')}>
        {COUNTS.map((key) => (
          <Progress.Section key={key} value={(sweep[key] / total) * 100} color={COUNT_COLORS[key]} />
        ))}
      </Progress.Root>
      <SimpleGrid cols={5}>
        {COUNTS.map((key) => (
          <Paper withBorder p="xs" key={key}>
            <Text size="xs" c="dimmed">
              {t(`sweep.${key}`)}
            </Text>
            <Text fw={700} data-testid={`sweep-${key.replace('runs_', '')}`}>
              {format.integer(sweep[key])}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
};

const RunLivePanel = ({ runId, live }: { readonly runId: string; readonly live: boolean }) => {
  const { t } = useI18n();
  const data = useRunLive(runId, live);
  return (
    <Stack data-testid="run-live">
      {data.error !== undefined && <ErrorState error={data.error} />}
      <LiveCharts steps={data.steps} samples={data.resources} trials={data.trials} />
      <Title order={5}>{t('trials.title')}</Title>
      <TrialsTable trials={data.trials} />
    </Stack>
  );
};

/** The sweep page. */
export const SweepPage = () => {
  const { id = '' } = useParams();
  const { t, format } = useI18n();
  const canEdit = useCanEdit();
  const sweep = useApi(`sweep:${id}`, () => api.sweep(id));
  const runs = useApi(`sweep-runs:${id}`, () =>
    api.runs({ sweep_id: id, limit: 500, sort: 'created_at', order: 'asc' }),
  );
  const [progress, setProgress] = useState<Partial<Sweep>>({});
  const [selected, setSelected] = useState<string | undefined>();
  const [action, setAction] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const reloadRuns = runs.reload;

  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.type === 'sweep-progress' && event.data.sweep_id === id) {
        const { sweep_id: _sweepId, ...counts } = event.data;
        setProgress(counts);
      }
      if (event.type === 'run-status') reloadRuns();
    },
    [id, reloadRuns],
  );
  const connection = useLiveEvents({ sweepId: id }, onEvent);
  useEffect(() => setProgress({}), [id]);
  // A stream starts at "now": progress made between the first load and the stream opening is read again.
  const reloadSweep = sweep.reload;
  useEffect(() => {
    if (connection !== 'open') return;
    setProgress({});
    reloadSweep();
    reloadRuns();
  }, [connection, reloadSweep, reloadRuns]);

  const items = 'data' in runs ? (runs.data?.items ?? []) : [];
  const focus = selected ?? items.find((run) => run.status === 'running')?.id ?? items[0]?.id;
  const focusRun = items.find((run) => run.id === focus);

  const act = async (kind: 'cancel' | 'resume') => {
    setAction({ busy: true });
    try {
      await (kind === 'cancel' ? api.cancelSweep(id) : api.resumeSweep(id));
      setAction({ busy: false });
      // The reloaded row is newer than any progress event seen so far.
      setProgress({});
      sweep.reload();
      reloadRuns();
    } catch (error) {
      setAction({ busy: false, error });
    }
  };

  return (
    <AsyncView resource={sweep}>
      {(row) => {
        const current: Sweep = { ...row, ...progress };
        const done =
          current.status === 'finished' || current.status === 'failed' || current.status === 'cancelled';
        return (
          <Stack data-testid="sweep-page">
            <Group justify="space-between">
              <Group>
                <Title order={2}>{current.name ?? t('sweep.title')}</Title>
                <StatusBadge status={current.status} testId="sweep-status" />
                <Badge
                  variant="dot"
                  color={connection === 'open' ? 'green' : 'gray'}
                  data-testid="live-connection"
                >
                  {t(`live.connection.${connection}`)}
                </Badge>
              </Group>
              {canEdit && (
                <Group>
                  {!done && (
                    <Button
                      color="red"
                      variant="light"
                      loading={action.busy}
                      onClick={() => void act('cancel')}
                      data-testid="sweep-cancel"
                    >
                      {t('action.cancel')}
                    </Button>
                  )}
                  {(current.runs_failed > 0 || current.runs_cancelled > 0) && (
                    <Button
                      variant="light"
                      loading={action.busy}
                      onClick={() => void act('resume')}
                      data-testid="sweep-resume"
                    >
                      {t('action.resume')}
                    </Button>
                  )}
                </Group>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {t('sweep.created', { at: format.dateTime(current.created_at) })}
            </Text>
            {action.error !== undefined && <ErrorState error={action.error} />}
            <Progressbar sweep={current} />
            <ReportsPanel subject={{ kind: 'sweep', id }} />
            <AsyncView resource={runs} isEmpty={(data) => data.items.length === 0} empty={t('sweep.noRuns')}>
              {(data) => (
                <Table fz="sm" striped highlightOnHover data-testid="sweep-runs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('runs.model')}</Table.Th>
                      <Table.Th>{t('runs.backend')}</Table.Th>
                      <Table.Th>{t('runs.uniqueIds')}</Table.Th>
                      <Table.Th>h</Table.Th>
                      <Table.Th>{t('runs.status')}</Table.Th>
                      <Table.Th>{t('runs.metric')}</Table.Th>
                      <Table.Th>{t('runs.duration')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((run) => (
                      <Table.Tr
                        key={run.id}
                        bg={run.id === focus ? 'var(--mantine-color-blue-light)' : undefined}
                      >
                        <Table.Td>
                          <Anchor
                            component="button"
                            onClick={() => setSelected(run.id)}
                            data-testid="sweep-run-select"
                          >
                            {run.model_name}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{run.backend}</Table.Td>
                        <Table.Td>{run.unique_ids.join(', ')}</Table.Td>
                        <Table.Td>{run.horizon}</Table.Td>
                        <Table.Td>
                          <StatusBadge status={run.status} testId="sweep-run-status" />
                        </Table.Td>
                        <Table.Td>{format.number(run.metricValue)}</Table.Td>
                        <Table.Td>{format.duration(run.duration_seconds)}</Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={`/runs/${run.id}`} size="sm">
                            {t('sweep.openRun')}
                          </Anchor>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </AsyncView>
            <LeaderboardPanel sweepId={id} version={`${current.runs_finished}:${current.runs_failed}`}>
              {(board) => {
                const ranked = board.rows.flatMap((row) => (row.kind === 'run' ? [row.runId] : []));
                return ranked.length >= 2 ? <ComparisonPanel runIds={ranked} /> : null;
              }}
            </LeaderboardPanel>
            {focus !== undefined && (
              <RunLivePanel
                key={focus}
                runId={focus}
                live={focusRun !== undefined && isActiveStatus(focusRun.status)}
              />
            )}
          </Stack>
        );
      }}
    </AsyncView>
  );
};
