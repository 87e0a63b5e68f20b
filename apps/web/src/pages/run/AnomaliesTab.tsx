/**
 * A finished run's residual anomalies: editors score the run's evaluated residuals with one
 * detector (z-score, robust MAD z, CUSUM, IQR); everyone reads the flagged points stored per
 * series, day and detector.
 */
import { useState } from 'react';
import { Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import {
  ANOMALY_METHODS,
  ANOMALY_REFERENCES,
  type AnomalyMethod,
  type AnomalyReference,
} from '@nflab/contracts';
import { api } from '../../api/endpoints.js';
import type { RunAnomalies } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useCanEdit } from '../../auth/auth.js';
import { AsyncView, ErrorState } from '../../components/AsyncView.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { useI18n } from '../../i18n/i18n.js';

/** The detector picker and the detect button (editors). */
const DetectForm = ({
  runId,
  onDetected,
}: {
  readonly runId: string;
  readonly onDetected: (r: RunAnomalies) => void;
}) => {
  const { t } = useI18n();
  const [method, setMethod] = useState<AnomalyMethod>('zscore');
  const [reference, setReference] = useState<AnomalyReference>('first_half');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const detect = () => {
    setBusy(true);
    setError(null);
    api
      .detectRunAnomalies(runId, { method, reference })
      .then(onDetected, setError)
      .finally(() => setBusy(false));
  };
  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="xs">
        <Select
          size="xs"
          label={t('anomalies.method')}
          data={ANOMALY_METHODS.map((value) => ({ value, label: t(`anomalies.method.${value}`) }))}
          value={method}
          onChange={(value) => value !== null && setMethod(value as AnomalyMethod)}
          allowDeselect={false}
          data-testid="anomalies-method"
        />
        <Select
          size="xs"
          label={t('anomalies.reference')}
          data={ANOMALY_REFERENCES.map((value) => ({ value, label: t(`anomalies.reference.${value}`) }))}
          value={reference}
          onChange={(value) => value !== null && setReference(value as AnomalyReference)}
          allowDeselect={false}
        />
        <Button size="xs" loading={busy} onClick={detect} data-testid="anomalies-detect">
          {t('anomalies.detect')}
        </Button>
      </Group>
      {error !== null && <ErrorState error={error} />}
    </Stack>
  );
};

/** What the last detection scored: per series, how many points and how many flagged. */
const DetectionSummary = ({ result }: { readonly result: RunAnomalies }) => {
  const { t, format } = useI18n();
  const flagged = result.series.reduce((sum, s) => sum + s.flagged, 0);
  return (
    <Text size="sm" data-testid="anomalies-summary">
      {t('anomalies.summary', {
        method: t(`anomalies.method.${result.method}`),
        series: result.series.length,
        flagged: format.integer(flagged),
        skipped: result.skipped.length,
      })}
    </Text>
  );
};

/** The run page's anomalies tab. */
export const AnomaliesTab = ({ runId }: { readonly runId: string }) => {
  const { t, format } = useI18n();
  const canEdit = useCanEdit();
  const stored = useApi(`anomalies:${runId}`, () => api.runAnomalies(runId));
  const [last, setLast] = useState<RunAnomalies | null>(null);
  return (
    <Stack gap="md">
      <Text size="sm">{t('anomalies.intro')}</Text>
      {canEdit && (
        <DetectForm
          runId={runId}
          onDetected={(result) => {
            setLast(result);
            stored.reload();
          }}
        />
      )}
      {last !== null && <DetectionSummary result={last} />}
      <AsyncView resource={stored} isEmpty={(data) => data.items.length === 0} empty={t('anomalies.none')}>
        {(data) => (
          <ScrollTable
            rows={data.items}
            rowKey={(item) => `${item.method}:${item.unique_id}:${item.ds}:${item.model ?? ''}`}
            testId="anomalies-table"
            rowTestId="anomaly-row"
            columns={[
              { header: t('drift.series'), cell: (item) => item.unique_id },
              { header: t('anomalies.day'), cell: (item) => format.date(item.ds) },
              { header: t('anomalies.model'), cell: (item) => item.model ?? '—' },
              { header: t('anomalies.residual'), cell: (item) => format.number(item.residual, 3) },
              { header: t('anomalies.score'), cell: (item) => format.number(item.score, 2) },
              { header: t('anomalies.method'), cell: (item) => <Badge variant="light">{item.method}</Badge> },
            ]}
          />
        )}
      </AsyncView>
    </Stack>
  );
};
