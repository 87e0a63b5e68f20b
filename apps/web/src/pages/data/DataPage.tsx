/** Browse the data: tables → games → series, then preview, series charts, the quality profile and drift checks. */
import { useMemo } from 'react';
import { Grid, MultiSelect, Select, Stack, Tabs, Title } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { usePersistentState } from '../../lib/persistent-state.js';
import { DriftPanel } from './DriftPanel.js';
import { ExogenousPanel } from './ExogenousPanel.js';
import { PreviewGrid } from './PreviewGrid.js';
import { ProfilePanel } from './ProfilePanel.js';
import { SeriesCharts } from './SeriesCharts.js';

/** What the user picked, remembered between visits. */
export interface DataSelection {
  readonly table: string | null;
  readonly loto: string | null;
  readonly uniqueIds: readonly string[];
  readonly overlays: readonly string[];
}

const EMPTY: DataSelection = { table: null, loto: null, uniqueIds: [], overlays: [] };
const isSelection = (value: unknown): value is DataSelection =>
  typeof value === 'object' &&
  value !== null &&
  'uniqueIds' in value &&
  Array.isArray((value as DataSelection).uniqueIds);

/** How many series are charted at once; more is unreadable and slow. */
const MAX_CHARTED_SERIES = 6;

/** The data page. */
export const DataPage = () => {
  const { t, format } = useI18n();
  const [selection, setSelection] = usePersistentState('nflab.data.selection', EMPTY, isSelection);
  const tables = useApi('tables', () => api.tables());
  const games = useApi(selection.table === null ? null : `games:${selection.table}`, () =>
    api.games(selection.table as string),
  );
  const series = useApi(
    selection.table === null || selection.loto === null
      ? null
      : `series:${selection.table}:${selection.loto}`,
    () => api.series(selection.table as string, selection.loto as string),
  );
  const ready = selection.table !== null && selection.loto !== null;
  const preview = useApi(ready ? `preview:${selection.table}:${selection.loto}` : null, () =>
    api.preview(selection.table as string, selection.loto as string, 50),
  );
  const exogColumns = useMemo(
    () =>
      preview.status === 'ready' ? preview.data.columns.filter((c) => /^(hist|futr|stat)_/.test(c)) : [],
    [preview],
  );

  return (
    <Stack gap="md">
      <Title order={2}>{t('data.title')}</Title>
      <AsyncView resource={tables} isEmpty={(data) => data.tables.length === 0} empty={t('data.noTables')}>
        {(data) => (
          <Grid>
            <Grid.Col span={{ base: 12, md: 3 }}>
              <Select
                label={t('data.table')}
                data-testid="data-table-select"
                data={data.tables.map((table) => ({
                  value: table.name,
                  label: `${table.name} (${table.kind})`,
                }))}
                value={selection.table}
                onChange={(table) => setSelection({ ...EMPTY, table })}
                searchable
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 2 }}>
              <Select
                label={t('data.game')}
                data-testid="data-game-select"
                data={games.status === 'ready' ? games.data.games : []}
                value={selection.loto}
                disabled={games.status !== 'ready'}
                error={games.status === 'error' ? t('state.error') : undefined}
                onChange={(loto) => setSelection({ ...selection, loto, uniqueIds: [] })}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <MultiSelect
                label={t('data.series', { max: MAX_CHARTED_SERIES })}
                data-testid="data-series-select"
                data={
                  series.status === 'ready'
                    ? series.data.series.map((s) => ({
                        value: s.uniqueId,
                        label: `${s.uniqueId} (${format.integer(s.rows)})`,
                      }))
                    : []
                }
                value={[...selection.uniqueIds]}
                maxValues={MAX_CHARTED_SERIES}
                disabled={series.status !== 'ready'}
                onChange={(uniqueIds) => setSelection({ ...selection, uniqueIds })}
                searchable
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 3 }}>
              <MultiSelect
                label={t('data.overlays')}
                data-testid="data-overlay-select"
                data={exogColumns}
                value={[...selection.overlays]}
                disabled={exogColumns.length === 0}
                placeholder={exogColumns.length === 0 ? t('data.noExog') : undefined}
                onChange={(overlays) => setSelection({ ...selection, overlays })}
                searchable
              />
            </Grid.Col>
          </Grid>
        )}
      </AsyncView>
      {ready && (
        <Tabs defaultValue="chart" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="chart" data-testid="data-tab-chart">
              {t('data.tab.chart')}
            </Tabs.Tab>
            <Tabs.Tab value="preview" data-testid="data-tab-preview">
              {t('data.tab.preview')}
            </Tabs.Tab>
            <Tabs.Tab value="profile" data-testid="data-tab-profile">
              {t('data.tab.profile')}
            </Tabs.Tab>
            <Tabs.Tab value="exogenous" data-testid="data-tab-exogenous">
              {t('data.tab.exogenous')}
            </Tabs.Tab>
            <Tabs.Tab value="drift" data-testid="data-tab-drift">
              {t('data.tab.drift')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="chart" pt="md">
            <SeriesCharts
              table={selection.table as string}
              loto={selection.loto as string}
              uniqueIds={selection.uniqueIds}
              overlays={selection.overlays}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="md">
            <PreviewGrid resource={preview} />
          </Tabs.Panel>
          <Tabs.Panel value="profile" pt="md">
            <ProfilePanel table={selection.table as string} loto={selection.loto as string} />
          </Tabs.Panel>
          <Tabs.Panel value="exogenous" pt="md">
            <ExogenousPanel
              table={selection.table as string}
              loto={selection.loto as string}
              uniqueIds={selection.uniqueIds}
            />
          </Tabs.Panel>
          <Tabs.Panel value="drift" pt="md">
            <DriftPanel table={selection.table as string} loto={selection.loto as string} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
};
