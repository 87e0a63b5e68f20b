/** One line chart per selected series: y on the left axis, chosen exogenous columns on the right. */
import { useMemo } from 'react';
import { Paper, SimpleGrid, Text } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import type { PanelSeries } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { lineChart } from '../../charts/common.js';
import { AsyncView, EmptyState } from '../../components/AsyncView.js';
import { EChart } from '../../components/EChart.js';
import { useI18n } from '../../i18n/i18n.js';

interface SeriesChartsProps {
  readonly table: string;
  readonly loto: string;
  readonly uniqueIds: readonly string[];
  readonly overlays: readonly string[];
}

const zip = (ds: readonly string[], values: readonly (number | null)[]): [string, number | null][] =>
  ds.map((day, index) => [day, values[index] ?? null]);

const SeriesChart = ({ series }: { readonly series: PanelSeries }) => {
  const { t } = useI18n();
  const option = useMemo(
    () =>
      lineChart({
        xType: 'time',
        zoom: true,
        yNames: ['y', Object.keys(series.exog).length > 0 ? t('data.exog') : undefined],
        series: [
          { name: 'y', data: zip(series.ds, series.y) },
          ...Object.entries(series.exog).map(([column, values]) => ({
            name: column,
            data: zip(series.ds, values),
            axis: 1 as const,
            dashed: true,
          })),
        ],
      }),
    [series, t],
  );
  return (
    <Paper withBorder p="xs">
      <Text fw={600} size="sm">
        {series.unique_id}
      </Text>
      <EChart
        option={option}
        height={280}
        testId={`series-chart-${series.unique_id}`}
        label={t('data.chartLabel', { id: series.unique_id })}
      />
    </Paper>
  );
};

/** The charts of the selected series. */
export const SeriesCharts = ({ table, loto, uniqueIds, overlays }: SeriesChartsProps) => {
  const { t } = useI18n();
  const key =
    uniqueIds.length === 0 ? null : `panel:${table}:${loto}:${uniqueIds.join(',')}:${overlays.join(',')}`;
  const panel = useApi(key, () => api.panel(table, { loto, uniqueIds, columns: overlays }));
  if (uniqueIds.length === 0) return <EmptyState>{t('data.pickSeries')}</EmptyState>;
  return (
    <AsyncView resource={panel} isEmpty={(data) => data.series.length === 0}>
      {(data) => (
        <SimpleGrid cols={{ base: 1, lg: data.series.length > 1 ? 2 : 1 }}>
          {data.series.map((series) => (
            <SeriesChart key={series.unique_id} series={series} />
          ))}
        </SimpleGrid>
      )}
    </AsyncView>
  );
};
