/**
 * A game's exogenous columns against its series: a correlation heatmap and the Granger table, every
 * p-value corrected across all (series, column) pairs, with how many survive the correction — on
 * lottery draws, usually none.
 */
import { useMemo, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { api } from '../../api/endpoints.js';
import type { ExogenousAnalysis } from '../../api/types.js';
import { formatPValue } from '../../analysis/p-value.js';
import { correlationHeatmap, type CorrelationMeasure } from '../../charts/exogenous.js';
import { ErrorState } from '../../components/AsyncView.js';
import { EChart } from '../../components/EChart.js';
import { useI18n } from '../../i18n/i18n.js';

const Results = ({ analysis }: { readonly analysis: ExogenousAnalysis }) => {
  const { t, format } = useI18n();
  const [measure, setMeasure] = useState<CorrelationMeasure>('spearman');
  const option = useMemo(() => correlationHeatmap(analysis.pairs, analysis, measure), [analysis, measure]);
  const granger = [...analysis.pairs].sort(
    (a, b) =>
      (a.adjusted.granger.holm ?? 2) - (b.adjusted.granger.holm ?? 2) ||
      (a.granger.selected?.ssrFTest?.pValue ?? 2) - (b.granger.selected?.ssrFTest?.pValue ?? 2),
  );
  const surviving = granger.filter((pair) => (pair.adjusted.granger.holm ?? 1) < 0.05).length;
  const dropped = Object.entries(analysis.droppedRows).filter(([, count]) => count > 0);
  return (
    <Stack>
      <Alert color={surviving > 0 ? 'green' : 'gray'} data-testid="exog-verdict">
        {t('exog.verdict', { surviving, tests: analysis.testCounts.granger ?? 0 })}
      </Alert>
      {dropped.length > 0 && (
        <Text size="xs" c="dimmed">
          {t('exog.dropped')}: {dropped.map(([id, count]) => `${id} ${count}`).join(', ')}
        </Text>
      )}
      <SegmentedControl
        value={measure}
        onChange={(value) => setMeasure(value as CorrelationMeasure)}
        data={['spearman', 'pearson', 'kendall']}
        data-testid="exog-measure"
      />
      <EChart
        option={option}
        height={Math.max(240, 60 + analysis.series.length * 36 + 120)}
        testId="exog-heatmap"
        label={t('exog.heatmap')}
      />
      <Table fz="xs" striped data-testid="exog-granger">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exog.series')}</Table.Th>
            <Table.Th>{t('exog.column')}</Table.Th>
            <Table.Th>{t('exog.lag')}</Table.Th>
            <Table.Th>F</Table.Th>
            <Table.Th>p</Table.Th>
            <Table.Th>p (Holm)</Table.Th>
            <Table.Th>p (BH)</Table.Th>
            <Table.Th>MI</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {granger.map((pair) => {
            const test = pair.granger.selected?.ssrFTest;
            const significant = (pair.adjusted.granger.holm ?? 1) < 0.05;
            return (
              <Table.Tr key={`${pair.uniqueId}:${pair.column}`} data-testid="exog-granger-row">
                <Table.Td>{pair.uniqueId}</Table.Td>
                <Table.Td>{pair.column}</Table.Td>
                <Table.Td>{pair.granger.selected?.lag ?? ''}</Table.Td>
                <Table.Td>{format.number(test?.statistic ?? null, 3)}</Table.Td>
                <Table.Td>{formatPValue(test?.pValue)}</Table.Td>
                <Table.Td>{formatPValue(pair.adjusted.granger.holm)}</Table.Td>
                <Table.Td>{formatPValue(pair.adjusted.granger.bh)}</Table.Td>
                <Table.Td>{format.number(pair.mutualInformation.value, 3)}</Table.Td>
                <Table.Td>{significant && <Badge color="green">{t('exog.causes')}</Badge>}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
};

/** The exogenous tab of the data page: settings, a run button, and the stored result. */
export const ExogenousPanel = ({
  table,
  loto,
  uniqueIds,
  columns,
}: {
  readonly table: string;
  readonly loto: string;
  readonly uniqueIds: readonly string[];
  /** hist_/futr_ columns to test. @default every one of the table */
  readonly columns?: readonly string[];
}) => {
  const { t } = useI18n();
  const [grangerLag, setGrangerLag] = useState<number>(4);
  const [ccLag, setCcLag] = useState<number>(10);
  const [state, setState] = useState<{ busy: boolean; error?: unknown; analysis?: ExogenousAnalysis }>({
    busy: false,
  });
  const run = async () => {
    setState({ busy: true });
    try {
      const { analysis } = await api.exogenous(table, {
        loto,
        ...(uniqueIds.length > 0 ? { unique_ids: [...uniqueIds] } : {}),
        ...(columns !== undefined && columns.length > 0 ? { columns: [...columns] } : {}),
        granger_max_lag: grangerLag,
        cross_correlation_max_lag: ccLag,
      });
      setState({ busy: false, analysis });
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <Stack data-testid="exog-panel">
      <Text size="sm" c="dimmed">
        {t('exog.intro')}
      </Text>
      <Group align="end">
        <NumberInput
          label={t('exog.grangerLag')}
          min={1}
          max={52}
          value={grangerLag}
          onChange={(value) => setGrangerLag(Number(value) || 1)}
          w={160}
        />
        <NumberInput
          label={t('exog.ccLag')}
          min={0}
          max={52}
          value={ccLag}
          onChange={(value) => setCcLag(Number(value) || 0)}
          w={160}
        />
        <Button onClick={() => void run()} loading={state.busy} data-testid="exog-run">
          {t('exog.run')}
        </Button>
      </Group>
      {state.error !== undefined && <ErrorState error={state.error} />}
      {state.analysis !== undefined && <Results analysis={state.analysis} />}
    </Stack>
  );
};
