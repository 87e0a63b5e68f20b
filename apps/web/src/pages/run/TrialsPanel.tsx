/** The search of a run: trials table, optimisation history, parameter importance, parallel coordinates. */
import { useMemo } from 'react';
import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { Trial } from '../../api/types.js';
import {
  importanceChart,
  optimisationHistoryChart,
  parallelChart,
  parameterImportance,
} from '../../charts/trials.js';
import { EmptyState } from '../../components/AsyncView.js';
import { EChart } from '../../components/EChart.js';
import { useI18n } from '../../i18n/i18n.js';
import { TrialsTable } from '../../runs/TrialsTable.js';

/** The panel. */
export const TrialsPanel = ({ trials }: { readonly trials: readonly Trial[] }) => {
  const { t } = useI18n();
  const charts = useMemo(() => {
    const importance = parameterImportance(trials);
    return {
      history: optimisationHistoryChart(trials, { value: t('trials.value'), best: t('trials.best') }),
      importance: importance.length === 0 ? undefined : importanceChart(importance),
      parallel: parallelChart(trials, t('trials.value')),
    };
  }, [trials, t]);
  if (trials.length === 0) return <EmptyState>{t('trials.none')}</EmptyState>;
  return (
    <Stack>
      <TrialsTable trials={trials} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="xs">
          <Title order={5}>{t('trials.history')}</Title>
          <EChart
            option={charts.history}
            height={260}
            testId="trials-history-chart"
            label={t('trials.history')}
          />
        </Paper>
        <Paper withBorder p="xs">
          <Title order={5}>{t('trials.importance')}</Title>
          <Text size="xs" c="dimmed">
            {t('trials.importanceNote')}
          </Text>
          {charts.importance === undefined ? (
            <EmptyState>{t('trials.importanceNone')}</EmptyState>
          ) : (
            <EChart
              option={charts.importance}
              height={240}
              testId="trials-importance-chart"
              label={t('trials.importance')}
            />
          )}
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="xs">
        <Title order={5}>{t('trials.parallel')}</Title>
        <EChart
          option={charts.parallel}
          height={320}
          testId="trials-parallel-chart"
          label={t('trials.parallel')}
        />
      </Paper>
    </Stack>
  );
};
