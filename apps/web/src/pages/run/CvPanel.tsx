/** Cross-validation results: for a chosen cutoff and series, actuals against each model's forecast. */
import { useMemo, useState } from 'react';
import { Group, Paper, Select, Stack } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import type { CvRow } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { cutoffsOf, forecastChart, xOf } from '../../charts/forecast.js';
import { AsyncView } from '../../components/AsyncView.js';
import { EChart } from '../../components/EChart.js';
import { useI18n } from '../../i18n/i18n.js';

const cutoffKey = (row: CvRow): string => String(row.cutoff ?? row.cutoff_step ?? '');

const CvChart = ({ rows }: { readonly rows: readonly CvRow[] }) => {
  const { t } = useI18n();
  const cutoffs = cutoffsOf(rows);
  const ids = [...new Set(rows.map((row) => row.unique_id))].sort();
  const [cutoff, setCutoff] = useState(cutoffs[0] ?? null);
  const [uniqueId, setUniqueId] = useState(ids[0] ?? null);
  const option = useMemo(() => {
    const window = rows.filter((row) => cutoffKey(row) === cutoff && row.unique_id === uniqueId);
    const actuals = new Map(window.map((row) => [xOf(row), row.y]));
    return forecastChart({
      history: [...actuals.entries()].sort(([a], [b]) =>
        String(a).localeCompare(String(b), undefined, { numeric: true }),
      ),
      rows: window,
      historyLabel: t('run.actual'),
    });
  }, [rows, cutoff, uniqueId, t]);
  return (
    <Stack>
      <Group>
        <Select
          label={t('run.cutoff')}
          data={cutoffs}
          value={cutoff}
          onChange={setCutoff}
          data-testid="cv-cutoff"
        />
        <Select label={t('runs.uniqueId')} data={ids} value={uniqueId} onChange={setUniqueId} />
      </Group>
      <Paper withBorder p="xs">
        <EChart option={option} height={340} testId="cv-chart" label={t('run.tab.cv')} />
      </Paper>
    </Stack>
  );
};

/** Loads and draws the cv results. */
export const CvPanel = ({ runId }: { readonly runId: string }) => {
  const { t } = useI18n();
  const rows = useApi(`cv:${runId}`, () => api.cv(runId));
  return (
    <AsyncView resource={rows} isEmpty={(data) => data.length === 0} empty={t('run.noCv')}>
      {(data) => <CvChart rows={data} />}
    </AsyncView>
  );
};
