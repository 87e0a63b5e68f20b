/**
 * The statistical comparison of selected runs on their shared forecast points: mean loss and rank
 * per run, every run against the best with corrected Diebold–Mariano, t and Wilcoxon p-values, the
 * difference's bootstrap interval and Cliff's delta, and for three or more runs Friedman's test and
 * the critical-difference diagram; for two runs whose models read different exogenous columns,
 * which columns and whether the pair's tests are their effect.
 */
import { Alert, Stack, Table, Text, Title } from '@mantine/core';
import { api } from '../api/endpoints.js';
import type { RunComparisonResult } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { AsyncView } from '../components/AsyncView.js';
import { useI18n } from '../i18n/i18n.js';
import { ReportsPanel } from '../reports/ReportsPanel.js';
import { CriticalDifferenceDiagram } from './CriticalDifferenceDiagram.js';
import { formatPValue } from './p-value.js';

/**
 * Compares `runIds` (two or more); the result is stored server-side and read back when unchanged.
 * With `reports`, the comparison's own Report panel follows (the compare page; a sweep page has its
 * sweep's).
 */
export const ComparisonPanel = ({
  runIds,
  reports = false,
}: {
  readonly runIds: readonly string[];
  readonly reports?: boolean;
}) => {
  const { t, format } = useI18n();
  const comparison = useApi(runIds.length >= 2 ? `statistical-comparison:${runIds.join(',')}` : null, () =>
    api.compareRuns({ run_ids: [...runIds] }),
  );
  return (
    <Stack data-testid="comparison">
      <Title order={4}>{t('comparison.title')}</Title>
      <AsyncView resource={comparison}>
        {({ analysisId, comparison: c, exogenous }) => {
          const label = new Map(c.runs.map((run) => [run.runId, run.label]));
          return (
            <Stack>
              <Text size="sm" c="dimmed" data-testid="comparison-points">
                {t('comparison.points', { points: c.points, series: c.series, h: c.h })}
              </Text>
              <Table fz="sm" striped data-testid="comparison-runs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('leaderboard.entry')}</Table.Th>
                    <Table.Th>
                      {t(c.loss === 'absolute' ? 'comparison.meanAbsolute' : 'comparison.meanSquared')}
                    </Table.Th>
                    <Table.Th>{t('comparison.meanRank')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.runs.map((run) => (
                    <Table.Tr key={run.runId} fw={run.runId === c.best ? 700 : undefined}>
                      <Table.Td>{run.label}</Table.Td>
                      <Table.Td>{format.number(run.meanLoss)}</Table.Td>
                      <Table.Td>{format.number(run.meanRank, 2)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Table fz="sm" striped data-testid="comparison-pairs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('comparison.pair')}</Table.Th>
                    <Table.Th>{t('comparison.difference')}</Table.Th>
                    <Table.Th>DM p ({c.correction})</Table.Th>
                    <Table.Th>t p ({c.correction})</Table.Th>
                    <Table.Th>Wilcoxon p ({c.correction})</Table.Th>
                    <Table.Th>Cliff&apos;s δ</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.pairs.map((pair) => (
                    <Table.Tr key={`${pair.a}-${pair.b}`}>
                      <Table.Td>
                        {label.get(pair.a)} − {label.get(pair.b)}
                      </Table.Td>
                      <Table.Td>
                        {format.number(pair.difference.estimate)} [{format.number(pair.difference.lower)},{' '}
                        {format.number(pair.difference.upper)}]
                      </Table.Td>
                      <Table.Td>{formatPValue(pair.adjusted.dieboldMariano)}</Table.Td>
                      <Table.Td>{formatPValue(pair.adjusted.tTest)}</Table.Td>
                      <Table.Td>{formatPValue(pair.adjusted.wilcoxon)}</Table.Td>
                      <Table.Td>
                        {format.number(pair.effectSizes.cliffsDelta.value, 3)}{' '}
                        {pair.effectSizes.cliffsDelta.magnitude ?? ''}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {c.many !== null && (
                <Stack gap="xs">
                  <Text size="sm" data-testid="comparison-friedman">
                    {t('comparison.friedman', {
                      p: formatPValue(c.many.friedman.pValue),
                      w: format.number(c.many.friedman.kendallsW, 3),
                    })}
                  </Text>
                  <CriticalDifferenceDiagram diagram={c.many.criticalDifference} />
                </Stack>
              )}
              {exogenous !== null && <ExogenousDifferenceNote difference={exogenous} />}
              {reports && <ReportsPanel subject={{ kind: 'analysis', id: analysisId }} />}
            </Stack>
          );
        }}
      </AsyncView>
    </Stack>
  );
};

/** Two runs that read different exogenous columns: which, and whether the pair's tests are their effect. */
type ExogenousDifference = NonNullable<RunComparisonResult['exogenous']>;

const ExogenousDifferenceNote = ({ difference }: { readonly difference: ExogenousDifference }) => {
  const { t } = useI18n();
  const columns = (only: ExogenousDifference['runs'][number]['only']) =>
    [...only.futr, ...only.hist, ...only.stat].join(', ') || t('comparison.exogenous.none');
  const isolated = difference.otherDifferences.length === 0;
  return (
    <Alert
      color={isolated ? 'blue' : 'yellow'}
      title={t('comparison.exogenous.title')}
      data-testid="comparison-exogenous"
    >
      <Stack gap={4}>
        {difference.runs.map((run) => (
          <Text size="sm" key={run.runId}>
            {t('comparison.exogenous.reads', { run: run.label, columns: columns(run.only) })}
          </Text>
        ))}
        <Text size="sm" fw={500}>
          {isolated
            ? t('comparison.exogenous.isolated')
            : t('comparison.exogenous.confounded', { fields: difference.otherDifferences.join(', ') })}
        </Text>
      </Stack>
    </Alert>
  );
};
