/** The run's forecast for one series: recent history, point forecasts and interval bands. */
import { useMemo, useState } from 'react';
import { Paper, Select, Stack } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import type { PanelSeries, PredictionRow, RunDetail } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { forecastChart } from '../../charts/forecast.js';
import { AsyncView } from '../../components/AsyncView.js';
import { EChart } from '../../components/EChart.js';
import { useI18n } from '../../i18n/i18n.js';

/** How much history is drawn before the forecast: enough to judge it, few enough to see it. */
const HISTORY_POINTS = 60;

interface ForecastData {
  readonly predictions: readonly PredictionRow[];
  readonly history: readonly PanelSeries[];
}

const loadForecast = async (run: RunDetail): Promise<ForecastData> => {
  const predictions = await api.predictions(run.id);
  if (run.table_name === null || run.loto === null || run.unique_ids.length === 0)
    return { predictions, history: [] };
  // History is context, not essential: a table dropped since the run must not hide the forecast.
  const history = await api
    .panel(run.table_name, { loto: run.loto, uniqueIds: run.unique_ids, columns: [] })
    .then((panel) => panel.series)
    .catch(() => []);
  return { predictions, history };
};

const ForecastChart = ({ data }: { readonly data: ForecastData }) => {
  const { t } = useI18n();
  const ids = [...new Set(data.predictions.map((row) => row.unique_id))].sort();
  const [uniqueId, setUniqueId] = useState(ids[0] ?? null);
  const option = useMemo(() => {
    const series = data.history.find((s) => s.unique_id === uniqueId);
    const history =
      series === undefined
        ? []
        : series.ds.map((ds, i) => [ds, series.y[i] ?? null] as const).slice(-HISTORY_POINTS);
    return forecastChart({
      history,
      rows: data.predictions.filter((row) => row.unique_id === uniqueId),
      historyLabel: t('run.actual'),
    });
  }, [data, uniqueId, t]);
  return (
    <Stack>
      {ids.length > 1 && (
        <Select label={t('runs.uniqueId')} data={ids} value={uniqueId} onChange={setUniqueId} maw={240} />
      )}
      <Paper withBorder p="xs">
        <EChart option={option} height={360} testId="forecast-chart" label={t('run.tab.forecast')} />
      </Paper>
    </Stack>
  );
};

/** Loads and draws the forecast. */
export const ForecastPanel = ({ run }: { readonly run: RunDetail }) => {
  const { t } = useI18n();
  const data = useApi(`forecast:${run.id}:${run.status}`, () => loadForecast(run));
  return (
    <AsyncView resource={data} isEmpty={(d) => d.predictions.length === 0} empty={t('run.noForecast')}>
      {(d) => <ForecastChart data={d} />}
    </AsyncView>
  );
};
