/**
 * A game's drift between a reference and a current window: the newest stored check (per-column
 * statistics and the drawn numbers' uniformity verdict) and, for editors, a form that runs a new one.
 */
import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Grid, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import type { StoredDriftCheck } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useCanEdit } from '../../auth/auth.js';
import { AsyncView, ErrorState } from '../../components/AsyncView.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { useI18n } from '../../i18n/i18n.js';
import { driftView, halfWindows } from './drift-view.js';

interface Windows {
  readonly reference: { readonly from: string; readonly to: string };
  readonly current: { readonly from: string; readonly to: string };
}

/** The windows, p-value and the run button; the windows start as the two halves of the game's draws. */
const DriftForm = ({
  initial,
  busy,
  onRun,
}: {
  readonly initial: Windows;
  readonly busy: boolean;
  readonly onRun: (windows: Windows, pValue: number) => void;
}) => {
  const { t } = useI18n();
  const [windows, setWindows] = useState<Windows>(initial);
  const [pValue, setPValue] = useState(0.01);
  const day = (label: 'reference' | 'current', end: 'from' | 'to') => (
    <Grid.Col span={{ base: 6, md: 2 }}>
      <TextInput
        type="date"
        size="xs"
        label={t(`drift.${label}.${end}`)}
        value={windows[label][end]}
        onChange={(event) => {
          const value = event.currentTarget.value;
          setWindows((w) => ({ ...w, [label]: { ...w[label], [end]: value } }));
        }}
        data-testid={`drift-${label}-${end}`}
      />
    </Grid.Col>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onRun(windows, pValue);
  };
  return (
    <form onSubmit={submit} data-testid="drift-form">
      <Grid gap="xs" align="flex-end">
        {day('reference', 'from')}
        {day('reference', 'to')}
        {day('current', 'from')}
        {day('current', 'to')}
        <Grid.Col span={{ base: 6, md: 2 }}>
          <NumberInput
            size="xs"
            label={t('drift.pValue')}
            min={0.0001}
            max={0.5}
            step={0.005}
            decimalScale={4}
            value={pValue}
            onChange={(v) => typeof v === 'number' && setPValue(v)}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <Button type="submit" size="xs" loading={busy} data-testid="drift-run">
            {t('drift.run')}
          </Button>
        </Grid.Col>
      </Grid>
    </form>
  );
};

/** One stored check: the uniformity verdict, then every (series, column) test. */
export const DriftCheckView = ({ check }: { readonly check: StoredDriftCheck }) => {
  const { t, format } = useI18n();
  const { columns, uniformity } = driftView(check);
  const p = (value: number | null) => (value === null ? '—' : format.number(value, 4));
  return (
    <Stack gap="sm" data-testid="drift-check">
      <Text size="sm" c="dimmed">
        {t('drift.summary', {
          at: format.dateTime(check.at),
          reference: `${format.date(check.reference.from)} – ${format.date(check.reference.to)}`,
          current: `${format.date(check.current.from)} – ${format.date(check.current.to)}`,
          drifted: check.drifted,
        })}
      </Text>
      {uniformity === null ? (
        <Text size="sm">{t('drift.uniformity.none')}</Text>
      ) : (
        <Alert
          color={uniformity.drifted ? 'red' : 'green'}
          title={t(uniformity.drifted ? 'drift.uniformity.drifted' : 'drift.uniformity.uniform')}
          data-testid="drift-uniformity"
          data-drifted={uniformity.drifted}
        >
          {t('drift.uniformity.detail', {
            statistic: format.number(uniformity.statistic, 2),
            p: p(uniformity.adjustedPValue ?? uniformity.pValue),
            draws: format.integer(uniformity.draws),
          })}
        </Alert>
      )}
      <ScrollTable
        rows={columns}
        rowKey={(line) => `${line.uniqueId}:${line.column}`}
        testId="drift-columns"
        rowTestId="drift-column-row"
        columns={[
          { header: t('drift.series'), cell: (line) => line.uniqueId },
          { header: t('drift.column'), cell: (line) => line.column },
          { header: t('drift.test'), cell: (line) => (line.test === 'ks' ? 'KS' : 'χ²') },
          { header: t('drift.statistic'), cell: (line) => format.number(line.statistic, 4) },
          { header: t('drift.adjustedP'), cell: (line) => p(line.adjustedPValue) },
          { header: 'PSI', cell: (line) => p(line.psi) },
          { header: 'JS', cell: (line) => p(line.js) },
          { header: 'KL', cell: (line) => p(line.kl) },
          { header: t('drift.wasserstein'), cell: (line) => p(line.wasserstein) },
          {
            header: t('drift.verdict'),
            cell: (line) => (
              <Badge color={line.drifted ? 'red' : 'gray'} variant="light">
                {t(line.drifted ? 'drift.drifted' : 'drift.stable')}
              </Badge>
            ),
          },
        ]}
      />
    </Stack>
  );
};

/** The data page's drift tab for one table and game. */
export const DriftPanel = ({ table, loto }: { readonly table: string; readonly loto: string }) => {
  const { t } = useI18n();
  const canEdit = useCanEdit();
  const checks = useApi(`drift:${table}:${loto}`, () => api.tableDriftChecks(table, loto));
  const profile = useApi(canEdit ? `profile:${table}:${loto}` : null, () => api.profile(table, loto));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = (windows: Windows, pValue: number) => {
    setBusy(true);
    setError(null);
    api
      .checkTableDrift(table, { loto, ...windows, thresholds: { p_value: pValue } })
      .then(checks.reload, setError)
      .finally(() => setBusy(false));
  };
  const range = profile.status === 'ready' ? profile.data.dateRange : null;
  return (
    <Stack gap="md">
      <Text size="sm">{t('drift.intro')}</Text>
      {canEdit && range !== null && (
        <DriftForm
          key={`${table}:${loto}`}
          initial={halfWindows(range.from, range.to)}
          busy={busy}
          onRun={run}
        />
      )}
      {error !== null && <ErrorState error={error} />}
      <AsyncView resource={checks} isEmpty={(data) => data.checks.length === 0} empty={t('drift.none')}>
        {(data) => <DriftCheckView check={data.checks[0]!} />}
      </AsyncView>
    </Stack>
  );
};
