/** A run's metrics, with naive baselines and significance tests when the run recorded them. */
import { Stack, Title } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.js';
import { KeyValueTable } from '../../runs/KeyValueTable.js';

/** The metrics, split into the run's own, `baselines` and `significance`. */
export const MetricsPanel = ({ metrics }: { readonly metrics: Readonly<Record<string, unknown>> }) => {
  const { t } = useI18n();
  // An ensemble's members and weights have their own tab; as one JSON cell they only clutter this table.
  const { baselines, significance, ensemble: _ensemble, ...own } = metrics;
  return (
    <Stack data-testid="run-metrics">
      <Title order={5}>{t('run.metrics')}</Title>
      <KeyValueTable value={own} testId="run-metrics-table" />
      {baselines !== undefined && (
        <>
          <Title order={5}>{t('run.baselines')}</Title>
          <KeyValueTable value={baselines} testId="run-baselines" height={220} />
        </>
      )}
      {significance !== undefined && (
        <>
          <Title order={5}>{t('run.significance')}</Title>
          <KeyValueTable value={significance} testId="run-significance" height={220} />
        </>
      )}
    </Stack>
  );
};
