/**
 * One run: parameters, tags, metrics, trials, forecast, cv (by fold), resources, error and artifacts,
 * the data version it read, its ensemble links and the analyses that read it, plus actions.
 */
import { useEffect } from 'react';
import { Alert, Badge, Code, Group, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useParams } from 'react-router-dom';
import { ImportancePanel } from '../../analysis/ImportancePanel.js';
import { TftInterpretation } from '../../analysis/TftInterpretation.js';
import { api } from '../../api/endpoints.js';
import { AnomaliesTab } from './AnomaliesTab.js';
import { ExogenousTab, hasExogenous } from './ExogenousTab.js';
import type { RunDetail } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useRunLive } from '../../api/use-run-live.js';
import { AsyncView, EmptyState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { KeyValueTable } from '../../runs/KeyValueTable.js';
import { LossChart, ResourceCharts } from '../../runs/LiveCharts.js';
import { StatusBadge } from '../../runs/StatusBadge.js';
import { isActiveStatus, rowIsStale, shownRunStatus } from '../../runs/shown-status.js';
import { ArtifactsPanel } from './ArtifactsPanel.js';
import { CvFolds } from './CvFolds.js';
import { CvPanel } from './CvPanel.js';
import { EnsembleTab, hasRunLinks, useRunLinks } from './EnsembleTab.js';
import { ForecastPanel } from './ForecastPanel.js';
import { GrafanaLink } from './GrafanaLink.js';
import { RunExports } from './RunExports.js';
import { ReportsPanel } from '../../reports/ReportsPanel.js';
import { MetricsPanel } from './MetricsPanel.js';
import { RunActions } from './RunActions.js';
import { RunTags } from './RunTags.js';
import { TrialsPanel } from './TrialsPanel.js';
import { IdLink } from '../../components/IdLink.js';

const Fact = ({ label, children }: { readonly label: string; readonly children: React.ReactNode }) => (
  <div>
    <Text size="xs" c="dimmed">
      {label}
    </Text>
    <Text size="sm">{children}</Text>
  </div>
);

const RunView = ({ run, reload }: { readonly run: RunDetail; readonly reload: () => void }) => {
  const { t, format } = useI18n();
  const live = useRunLive(run.id, isActiveStatus(run.status));
  const status = shownRunStatus(run.status, live.status);
  // A live status change means the row moved on (started, or ended with its outputs): load it again.
  const stale = rowIsStale(run.status, live.status);
  const links = useRunLinks(run);
  useEffect(() => {
    if (stale) reload();
  }, [stale, live.status, reload]);
  return (
    <Stack data-testid="run-page" data-run-id={run.id}>
      <Group justify="space-between">
        <Group>
          <Title order={2}>{run.model_name ?? t('run.title')}</Title>
          <StatusBadge status={status} testId="run-status" />
          {run.operation !== null && <Badge variant="outline">{run.operation}</Badge>}
          <GrafanaLink url={run.grafana_url} />
          <RunExports runId={run.id} />
        </Group>
        <RunActions run={{ ...run, status }} onChanged={reload} />
      </Group>
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 2, md: 6 }}>
          <Fact label={t('runs.table')}>{run.table_name}</Fact>
          <Fact label={t('runs.loto')}>{run.loto}</Fact>
          <Fact label={t('runs.uniqueIds')}>{run.unique_ids.join(', ')}</Fact>
          <Fact label={t('runs.backend')}>{run.backend}</Fact>
          <Fact label="h">{run.horizon}</Fact>
          <Fact label={t('runs.loss')}>{run.loss}</Fact>
          <Fact label={t('runs.started')}>{format.dateTime(run.start_time)}</Fact>
          <Fact label={t('runs.ended')}>{format.dateTime(run.end_time)}</Fact>
          <Fact label={t('runs.duration')}>{format.duration(run.duration_seconds)}</Fact>
          <Fact label={t('run.sweep')}>
            <IdLink kind="sweeps" id={run.sweep_id} />
          </Fact>
          <Fact label={t('run.parent')}>
            <IdLink kind="runs" id={run.parent_run_id} />
          </Fact>
          <Fact label={t('run.seed')}>{run.seed ?? '—'}</Fact>
        </SimpleGrid>
        <RunTags key={run.id} runId={run.id} tags={run.tags} />
      </Paper>
      {run.error_message !== null && (
        <Alert color="red" title={t('run.error')} data-testid="run-error">
          {run.error_message}
        </Alert>
      )}
      <Tabs defaultValue="overview" keepMounted={false}>
        <Tabs.List>
          {(
            [
              'overview',
              ...(run.operation === 'importance' ? (['importance'] as const) : []),
              ...(run.interpretation !== null ? (['interpretation'] as const) : []),
              ...(hasExogenous(run) ? (['exogenous'] as const) : []),
              ...(hasRunLinks(run, links) ? (['ensemble'] as const) : []),
              'trials',
              'forecast',
              'cv',
              ...(run.status === 'finished' ? (['anomalies'] as const) : []),
              'training',
              'error',
              'artifacts',
            ] as const
          ).map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`run-tab-${tab}`}>
              {t(`run.tab.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Stack>
              <Title order={5}>{t('run.bestParams')}</Title>
              <KeyValueTable value={run.best_params} testId="run-best-params" />
              <Title order={5}>{t('run.params')}</Title>
              <KeyValueTable value={run.spec} testId="run-params" />
            </Stack>
            <Stack>
              <MetricsPanel metrics={run.metrics} />
              <Title order={5}>{t('run.modelProperties')}</Title>
              <KeyValueTable value={run.model_properties} testId="run-model-properties" height={200} />
              <Title order={5}>{t('run.system')}</Title>
              <KeyValueTable
                value={{
                  resources: run.resource_summary,
                  system: run.system_info,
                  engine: run.engine_version,
                  data: run.data_fingerprint,
                  // The OpenTelemetry trace id, to find the run's trace in the tracing backend.
                  trace: run.trace_parent?.split('-')[1] ?? null,
                }}
                testId="run-system"
                height={200}
              />
              <Title order={5}>{t('run.dataVersion')}</Title>
              <KeyValueTable
                value={{ dataset: run.dataset, feature_set: run.feature_set }}
                testId="run-data-version"
                height={200}
              />
            </Stack>
          </SimpleGrid>
          <ReportsPanel subject={{ kind: 'run', id: run.id }} />
        </Tabs.Panel>
        <Tabs.Panel value="trials" pt="md">
          <TrialsPanel trials={live.trials} />
        </Tabs.Panel>
        <Tabs.Panel value="forecast" pt="md">
          <ForecastPanel key={run.status} run={run} />
        </Tabs.Panel>
        <Tabs.Panel value="cv" pt="md">
          <Stack>
            <CvFolds metrics={run.metrics} />
            <CvPanel key={run.status} runId={run.id} />
          </Stack>
        </Tabs.Panel>
        {run.status === 'finished' && (
          <Tabs.Panel value="anomalies" pt="md">
            <AnomaliesTab runId={run.id} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="training" pt="md">
          <Stack>
            <LossChart steps={live.steps} trials={live.trials} />
            <ResourceCharts samples={live.resources} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="error" pt="md">
          {run.error_message === null && run.traceback === null ? (
            <EmptyState>{t('run.noError')}</EmptyState>
          ) : (
            <Stack>
              <Text c="red">{run.error_message}</Text>
              <Code block data-testid="run-traceback">
                {run.traceback}
              </Code>
            </Stack>
          )}
          {run.logs !== null && run.logs !== '' && (
            <>
              <Title order={5} mt="md">
                {t('run.logs')}
              </Title>
              <Code block>{run.logs}</Code>
            </>
          )}
        </Tabs.Panel>
        {hasExogenous(run) && (
          <Tabs.Panel value="exogenous" pt="md">
            <ExogenousTab run={run} />
          </Tabs.Panel>
        )}
        {hasRunLinks(run, links) && (
          <Tabs.Panel value="ensemble" pt="md">
            <EnsembleTab run={run} links={links} />
          </Tabs.Panel>
        )}
        {run.interpretation !== null && (
          <Tabs.Panel value="interpretation" pt="md">
            <TftInterpretation interpretation={run.interpretation} />
          </Tabs.Panel>
        )}
        {run.operation === 'importance' && (
          <Tabs.Panel value="importance" pt="md">
            <ImportancePanel
              runId={run.id}
              parentRunId={run.parent_run_id}
              summary={
                (run.metrics as { importance?: Parameters<typeof ImportancePanel>[0]['summary'] }).importance
              }
            />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="artifacts" pt="md">
          <ArtifactsPanel key={run.status} runId={run.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
};

/** The run page. */
export const RunPage = () => {
  const { id = '' } = useParams();
  const run = useApi(`run:${id}`, () => api.run(id));
  return (
    <AsyncView resource={run}>{(data) => <RunView key={data.id} run={data} reload={run.reload} />}</AsyncView>
  );
};
