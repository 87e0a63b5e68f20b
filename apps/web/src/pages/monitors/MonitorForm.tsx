/** The create-monitor form (editors): each field the server refuses shows the server's message under it. */
import { useState, type FormEvent } from 'react';
import { Button, Grid, NumberInput, Paper, Select, TextInput, Title } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import { ApiError } from '../../api/client.js';
import type { Monitor } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { ErrorState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { draftFieldOf, EMPTY_MONITOR_DRAFT, monitorRequest, type MonitorDraft } from './monitor-form.js';

type FieldErrors = Partial<Record<keyof MonitorDraft, string>>;

/** The form; `onCreated` receives the stored monitor. */
export const MonitorForm = ({ onCreated }: { readonly onCreated: (monitor: Monitor) => void }) => {
  const { t } = useI18n();
  const tables = useApi('tables', () => api.tables());
  const [draft, setDraft] = useState<MonitorDraft>(EMPTY_MONITOR_DRAFT);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof MonitorDraft>(key: K, value: MonitorDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    api
      .createMonitor(monitorRequest(draft))
      .then(
        (monitor) => {
          setDraft(EMPTY_MONITOR_DRAFT);
          onCreated(monitor);
        },
        (failure: unknown) => {
          const byField: FieldErrors = {};
          const rest: unknown[] = [];
          for (const issue of failure instanceof ApiError ? failure.issues : []) {
            const field = draftFieldOf(issue.path);
            if (field === undefined) rest.push(issue);
            else byField[field] = issue.message;
          }
          setFieldErrors(byField);
          // Errors no field explains (an unknown game, a taken name) are shown above the button.
          if (Object.keys(byField).length === 0 || rest.length > 0) setError(failure);
        },
      )
      .finally(() => setBusy(false));
  };

  const text = (key: 'name' | 'loto' | 'cron' | 'retrainRunId' | 'webhookUrl', span = 3) => (
    <Grid.Col span={{ base: 12, md: span }}>
      <TextInput
        size="xs"
        label={t(`monitors.field.${key}`)}
        value={draft[key]}
        onChange={(event) => set(key, event.currentTarget.value)}
        error={fieldErrors[key]}
        data-testid={`monitor-field-${key}`}
      />
    </Grid.Col>
  );
  const number = (key: 'currentDraws' | 'referenceDraws' | 'pValue', decimals = 0) => (
    <Grid.Col span={{ base: 6, md: 2 }}>
      <NumberInput
        size="xs"
        label={t(`monitors.field.${key}`)}
        value={draft[key]}
        decimalScale={decimals === 0 ? 0 : 4}
        step={decimals === 0 ? 1 : 0.005}
        onChange={(value) => typeof value === 'number' && set(key, value)}
        error={fieldErrors[key]}
        data-testid={`monitor-field-${key}`}
      />
    </Grid.Col>
  );

  return (
    <Paper withBorder p="md">
      <Title order={4} mb="xs">
        {t('monitors.create')}
      </Title>
      <form onSubmit={submit} data-testid="monitor-form">
        <Grid gap="xs" align="flex-start">
          {text('name')}
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Select
              size="xs"
              label={t('monitors.field.table')}
              data={tables.status === 'ready' ? tables.data.tables.map((table) => table.name) : []}
              value={draft.table}
              onChange={(table) => set('table', table)}
              error={fieldErrors.table}
              searchable
              data-testid="monitor-field-table"
            />
          </Grid.Col>
          {text('loto', 2)}
          {text('cron', 4)}
          {number('currentDraws')}
          {number('referenceDraws')}
          {number('pValue', 4)}
          {text('retrainRunId')}
          {text('webhookUrl')}
        </Grid>
        {error !== null && <ErrorState error={error} />}
        <Button type="submit" size="xs" mt="sm" loading={busy} data-testid="monitor-create">
          {t('monitors.createButton')}
        </Button>
      </form>
    </Paper>
  );
};
