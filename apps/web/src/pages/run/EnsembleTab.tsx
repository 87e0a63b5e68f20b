/**
 * What links a run to others: an ensemble run's method, members and weights (with what the
 * combination left out), the ensembles a run is a member of, and the stored analyses that read it.
 */
import type { ReactNode } from 'react';
import { Anchor, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import type { RunDetail, RunEnsemble, StoredAnalysisItem } from '../../api/types.js';
import { useApi, type ApiResource } from '../../api/use-api.js';
import { AsyncView, EmptyState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { StatusBadge } from '../../runs/StatusBadge.js';
import { IdLink } from '../../components/IdLink.js';

/** `metrics.ensemble` of a finished ensemble run, as far as the tab reads it. */
interface EnsembleSummary {
  readonly evaluated_points: number;
  readonly forecast_points: number;
  readonly equal_weight_windows: number;
  readonly members: readonly {
    readonly run_id: string;
    readonly evaluated_not_shared: number;
    readonly evaluated_missing: number;
    readonly forecast_not_shared: number;
  }[];
}

/** The tab's reads, made by the run page to know whether to show the tab. */
export interface RunLinks {
  readonly ensemble: ApiResource<RunEnsemble>;
  readonly analyses: ApiResource<{ items: StoredAnalysisItem[] }>;
}

/** Loads the run's ensemble links and analyses (again when its status changes: weights come at the end). */
export const useRunLinks = (run: RunDetail): RunLinks => ({
  ensemble: useApi(`run-ensemble:${run.id}:${run.status}`, () => api.runEnsemble(run.id)),
  analyses: useApi(`run-analyses:${run.id}:${run.status}`, () => api.runAnalyses(run.id)),
});

// Data kept while a reload runs counts, so the tab does not vanish (and unmount) on a status change.
const loaded = <T,>(resource: ApiResource<T>): T | undefined =>
  'data' in resource ? resource.data : undefined;

/** True when the tab has something to show: an ensemble, ensembles the run is in, analyses, or an error. */
export const hasRunLinks = (run: RunDetail, { ensemble, analyses }: RunLinks): boolean =>
  run.operation === 'ensemble' ||
  ensemble.status === 'error' ||
  analyses.status === 'error' ||
  (loaded(ensemble)?.member_of.length ?? 0) > 0 ||
  (loaded(analyses)?.items.length ?? 0) > 0;

const compareUrl = (ids: readonly string[]): string => `/compare?ids=${ids.join(',')}`;

const RunLink = ({ id, children }: { readonly id: string; readonly children?: ReactNode }) => (
  <IdLink kind="runs" id={id}>
    {children}
  </IdLink>
);

const Members = ({
  run,
  ensemble,
}: {
  readonly run: RunDetail;
  readonly ensemble: NonNullable<RunEnsemble['ensemble']>;
}) => {
  const { t, format } = useI18n();
  const summary =
    run.status === 'finished' ? (run.metrics as { ensemble?: EnsembleSummary }).ensemble : undefined;
  const dropped = new Map(summary?.members.map((member) => [member.run_id, member]));
  return (
    <Stack gap="xs" data-testid="ensemble-summary">
      <Group justify="space-between">
        <Title order={5}>{t('ensemble.title', { n: ensemble.members.length })}</Title>
        <Anchor
          component={Link}
          to={compareUrl([run.id, ...ensemble.members.map((member) => member.run_id)])}
          data-testid="ensemble-compare-members"
        >
          {t('ensemble.compareMembers')}
        </Anchor>
      </Group>
      <Text size="sm" data-testid="ensemble-settings">
        {t('ensemble.method')}: {t(`ensemble.method.${ensemble.method}`)} · {t('ensemble.weightMetric')}:{' '}
        {ensemble.weight_metric}
      </Text>
      <Table fz="sm" striped data-testid="ensemble-members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('ensemble.member')}</Table.Th>
            <Table.Th>{t('runs.status')}</Table.Th>
            <Table.Th>{t('ensemble.weight')}</Table.Th>
            <Table.Th>{t('ensemble.error', { metric: ensemble.weight_metric })}</Table.Th>
            {summary !== undefined && <Table.Th>{t('ensemble.droppedEvaluated')}</Table.Th>}
            {summary !== undefined && <Table.Th>{t('ensemble.droppedForecast')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ensemble.members.map((member) => {
            const left = dropped.get(member.run_id);
            return (
              <Table.Tr key={member.run_id} data-testid="ensemble-member" data-run-id={member.run_id}>
                <Table.Td>{member.position}</Table.Td>
                <Table.Td>
                  <RunLink id={member.run_id}>
                    {member.model_name ?? t('run.title')} · {member.run_id.slice(0, 8)}
                  </RunLink>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={member.status} />
                </Table.Td>
                <Table.Td data-testid="ensemble-member-weight">{format.percent(member.weight)}</Table.Td>
                <Table.Td>{format.number(member.error)}</Table.Td>
                {summary !== undefined && (
                  <Table.Td>
                    {format.integer(left?.evaluated_not_shared)} / {format.integer(left?.evaluated_missing)}
                  </Table.Td>
                )}
                {summary !== undefined && <Table.Td>{format.integer(left?.forecast_not_shared)}</Table.Td>}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {summary === undefined ? (
        <Text size="sm" c="dimmed">
          {t('ensemble.pending')}
        </Text>
      ) : (
        <Text size="sm" data-testid="ensemble-points">
          {t('ensemble.points', {
            evaluated: format.integer(summary.evaluated_points),
            forecast: format.integer(summary.forecast_points),
          })}
        </Text>
      )}
      {ensemble.method === 'median' && (
        <Text size="sm" c="dimmed">
          {t('ensemble.medianNote')}
        </Text>
      )}
      {summary !== undefined && summary.equal_weight_windows > 0 && (
        <Text size="sm" c="orange" data-testid="ensemble-equal-windows">
          {t('ensemble.equalWindows', { n: format.integer(summary.equal_weight_windows) })}
        </Text>
      )}
    </Stack>
  );
};

const MemberOf = ({ ensembles }: { readonly ensembles: RunEnsemble['member_of'] }) => {
  const { t, format } = useI18n();
  return (
    <Stack gap="xs">
      <Title order={5}>{t('ensemble.memberOf')}</Title>
      <Table fz="sm" data-testid="ensemble-member-of">
        <Table.Tbody>
          {ensembles.map((ensemble) => (
            <Table.Tr key={ensemble.run_id}>
              <Table.Td>
                <RunLink id={ensemble.run_id} />
              </Table.Td>
              <Table.Td>{t(`ensemble.method.${ensemble.method}`)}</Table.Td>
              <Table.Td>
                <StatusBadge status={ensemble.status} />
              </Table.Td>
              <Table.Td>{format.dateTime(ensemble.created_at)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
};

const Analyses = ({ items }: { readonly items: readonly StoredAnalysisItem[] }) => {
  const { t, format } = useI18n();
  if (items.length === 0) return <EmptyState>{t('analyses.none')}</EmptyState>;
  return (
    <Table fz="sm" data-testid="run-analyses">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('analyses.kind')}</Table.Th>
          <Table.Th>{t('runs.created')}</Table.Th>
          <Table.Th>{t('analyses.by')}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((item) => (
          <Table.Tr key={item.id} data-testid="run-analysis" data-kind={item.kind}>
            <Table.Td>{item.kind}</Table.Td>
            <Table.Td>{format.dateTime(item.created_at)}</Table.Td>
            <Table.Td>{item.created_by ?? '—'}</Table.Td>
            <Table.Td>
              {item.kind === 'compare' ? (
                <Anchor component={Link} to={compareUrl(item.run_ids)}>
                  {t('analyses.open')} ({t('analyses.runs', { n: item.run_ids.length })})
                </Anchor>
              ) : (
                t('analyses.runs', { n: item.run_ids.length })
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
};

/** The tab's content. */
export const EnsembleTab = ({ run, links }: { readonly run: RunDetail; readonly links: RunLinks }) => {
  const { t } = useI18n();
  return (
    <Stack data-testid="run-ensemble">
      <AsyncView resource={links.ensemble}>
        {({ ensemble, member_of: memberOf }) => (
          <Stack>
            {ensemble !== null && <Members run={run} ensemble={ensemble} />}
            {memberOf.length > 0 && <MemberOf ensembles={memberOf} />}
          </Stack>
        )}
      </AsyncView>
      <Title order={5}>{t('analyses.title')}</Title>
      <AsyncView resource={links.analyses}>{({ items }) => <Analyses items={items} />}</AsyncView>
    </Stack>
  );
};
