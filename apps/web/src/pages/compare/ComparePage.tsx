/**
 * Runs side by side: parameter differences, metrics, their forecasts overlaid and the statistical
 * comparison; editors can combine them into an ensemble.
 */
import { useMemo, useState } from 'react';
import { Anchor, Checkbox, Paper, ScrollArea, Stack, Table, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { ComparisonPanel } from '../../analysis/ComparisonPanel.js';
import { api } from '../../api/endpoints.js';
import type { PredictionRow, RunDetail } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { forecastChart } from '../../charts/forecast.js';
import { AsyncView, EmptyState } from '../../components/AsyncView.js';
import { EChart } from '../../components/EChart.js';
import { useI18n } from '../../i18n/i18n.js';
import { differingKeys, flatten, leafText } from '../../lib/flatten.js';
import { MakeEnsemble } from './MakeEnsemble.js';

interface Compared {
  readonly run: RunDetail;
  readonly predictions: readonly PredictionRow[];
}

const shortName = (run: RunDetail): string => `${run.model_name ?? 'run'} · ${run.id.slice(0, 6)}`;

const DiffTable = ({
  runs,
  pick,
  testId,
  onlyDiff,
}: {
  readonly runs: readonly Compared[];
  readonly pick: (run: RunDetail) => unknown;
  readonly testId: string;
  readonly onlyDiff: boolean;
}) => {
  const { t, format } = useI18n();
  const flat = runs.map(({ run }) => flatten(pick(run)));
  const differing = differingKeys(flat);
  const keys = [...new Set(flat.flatMap((object) => Object.keys(object)))]
    .sort()
    .filter((key) => !onlyDiff || differing.has(key));
  if (keys.length === 0) return <EmptyState>{t('compare.noDiff')}</EmptyState>;
  return (
    <ScrollArea.Autosize mah={360} type="auto">
      <Table fz="xs" striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {runs.map(({ run }) => (
              <Table.Th key={run.id}>{shortName(run)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => (
            <Table.Tr key={key} fw={differing.has(key) ? 700 : undefined} data-differs={differing.has(key)}>
              <Table.Td style={{ fontFamily: 'monospace' }}>{key}</Table.Td>
              {flat.map((object, index) => (
                <Table.Td key={index}>
                  {typeof object[key] === 'number' ? format.number(object[key], 6) : leafText(object[key])}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
};

const OverlaidForecasts = ({ runs }: { readonly runs: readonly Compared[] }) => {
  const { t } = useI18n();
  const option = useMemo(() => {
    // One series compared: the first unique_id every run forecast.
    const shared = runs
      .map(({ predictions }) => new Set(predictions.map((row) => row.unique_id)))
      .reduce<Set<string> | undefined>(
        (acc, ids) => (acc === undefined ? ids : new Set([...acc].filter((id) => ids.has(id)))),
        undefined,
      );
    const uniqueId = [...(shared ?? [])].sort()[0];
    const rows = runs.flatMap(({ run, predictions }) =>
      predictions
        .filter((row) => row.unique_id === uniqueId)
        .map((row) => ({ ...row, model: shortName(run) })),
    );
    return { uniqueId, option: forecastChart({ rows, historyLabel: 'y' }) };
  }, [runs]);
  if (option.uniqueId === undefined) return <EmptyState>{t('compare.noForecasts')}</EmptyState>;
  return (
    <Paper withBorder p="xs">
      <Title order={5}>
        {t('compare.forecasts')} · {option.uniqueId}
      </Title>
      <EChart
        option={option.option}
        height={320}
        testId="compare-forecast-chart"
        label={t('compare.forecasts')}
      />
    </Paper>
  );
};

/** The compare page. */
export const ComparePage = () => {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const [onlyDiff, setOnlyDiff] = useState(true);
  const ids = (params.get('ids') ?? '').split(',').filter((id) => id !== '');
  const compared = useApi(ids.length === 0 ? null : `compare:${ids.join(',')}`, () =>
    Promise.all(ids.map(async (id) => ({ run: await api.run(id), predictions: await api.predictions(id) }))),
  );
  if (ids.length === 0) return <EmptyState>{t('compare.pick')}</EmptyState>;
  return (
    <Stack data-testid="compare-page">
      <Title order={2}>{t('compare.title')}</Title>
      <AsyncView resource={compared}>
        {(runs) => (
          <>
            <Table fz="sm" data-testid="compare-runs">
              <Table.Tbody>
                {runs.map(({ run }) => (
                  <Table.Tr key={run.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/runs/${run.id}`}>
                        {shortName(run)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{run.status}</Table.Td>
                    <Table.Td>{run.unique_ids.join(', ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {ids.length >= 2 && <MakeEnsemble runIds={ids} />}
            <Title order={4}>{t('compare.params')}</Title>
            <Checkbox
              label={t('compare.onlyDiff')}
              checked={onlyDiff}
              onChange={(event) => setOnlyDiff(event.currentTarget.checked)}
            />
            <DiffTable
              runs={runs}
              pick={(run) => ({ spec: run.spec, best_params: run.best_params })}
              testId="compare-params"
              onlyDiff={onlyDiff}
            />
            <Title order={4}>{t('compare.metrics')}</Title>
            <DiffTable runs={runs} pick={(run) => run.metrics} testId="compare-metrics" onlyDiff={false} />
            <OverlaidForecasts runs={runs} />
            {ids.length >= 2 && <ComparisonPanel runIds={ids} reports />}
          </>
        )}
      </AsyncView>
    </Stack>
  );
};
