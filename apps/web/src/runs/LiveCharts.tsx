/** Loss curves, resource charts and the trials table of one run (live or finished). */
import { useMemo, useState } from 'react';
import { Group, Paper, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import type { ResourceSample, StepMetric, Trial } from '../api/types.js';
import { lossChart } from '../charts/losses.js';
import { cpuChart, ioChart, memoryChart, type ResourceLabels } from '../charts/resources.js';
import { EmptyState } from '../components/AsyncView.js';
import { EChart } from '../components/EChart.js';
import { useI18n } from '../i18n/i18n.js';

/** Train/valid loss per trial, labelled by trial number when the trials are known. */
export const LossChart = ({
  steps,
  trials = [],
}: {
  readonly steps: readonly StepMetric[];
  readonly trials?: readonly Trial[];
}) => {
  const { t } = useI18n();
  const [logY, setLogY] = useState(false);
  const option = useMemo(() => {
    // Steps name their trial by database id; people know trials by their number in the search.
    const numbers = new Map(trials.map((trial) => [trial.id, trial.number]));
    return lossChart(
      steps,
      {
        train: t('live.train'),
        valid: t('live.valid'),
        trial: (id) => t('live.trial', { id: numbers.get(id) ?? `#${id}` }),
        final: t('live.finalFit'),
      },
      { logY },
    );
  }, [steps, trials, t, logY]);
  return (
    <Paper withBorder p="xs">
      <Group justify="space-between">
        <Title order={5}>{t('live.losses')}</Title>
        <Switch
          size="xs"
          label={t('live.logScale')}
          checked={logY}
          onChange={(event) => setLogY(event.currentTarget.checked)}
          data-testid="loss-log-toggle"
        />
      </Group>
      {steps.length === 0 ? (
        <EmptyState>{t('live.noSteps')}</EmptyState>
      ) : (
        <EChart option={option} height={300} testId="loss-chart" label={t('live.losses')} />
      )}
    </Paper>
  );
};

/** CPU, memory/VRAM and IO charts. */
export const ResourceCharts = ({ samples }: { readonly samples: readonly ResourceSample[] }) => {
  const { t, format } = useI18n();
  const labels: ResourceLabels = useMemo(
    () => ({
      cpuProcess: t('res.cpuProcess'),
      cpuSystem: t('res.cpuSystem'),
      rss: t('res.rss'),
      memUsed: t('res.memUsed'),
      gpu: t('res.gpu'),
      vram: t('res.vram'),
      diskRead: t('res.diskRead'),
      diskWrite: t('res.diskWrite'),
      netRx: t('res.netRx'),
      netTx: t('res.netTx'),
    }),
    [t],
  );
  const charts = useMemo(
    () => ({
      cpu: cpuChart(samples, labels),
      memory: memoryChart(samples, labels, format.bytes),
      io: ioChart(samples, labels, format.bytes),
    }),
    [samples, labels, format],
  );
  if (samples.length === 0) return <EmptyState>{t('live.noResources')}</EmptyState>;
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} data-testid="resource-charts">
      {(['cpu', 'memory', 'io'] as const).map((key) => (
        <Paper withBorder p="xs" key={key}>
          <Text size="sm" fw={600}>
            {t(`res.${key}`)}
          </Text>
          <EChart
            option={charts[key]}
            height={220}
            testId={`resource-chart-${key}`}
            label={t(`res.${key}`)}
          />
        </Paper>
      ))}
    </SimpleGrid>
  );
};

/** Both, stacked. */
export const LiveCharts = ({
  steps,
  samples,
  trials,
}: {
  readonly steps: readonly StepMetric[];
  readonly samples: readonly ResourceSample[];
  readonly trials?: readonly Trial[];
}) => (
  <Stack>
    <LossChart steps={steps} trials={trials} />
    <ResourceCharts samples={samples} />
  </Stack>
);
