/** The filter bar of the history page; changes apply when the user presses Apply or Enter. */
import { useState, type FormEvent } from 'react';
import { Grid, MultiSelect, Select, TextInput } from '@mantine/core';
import { BACKEND_IDS, RUN_STATUS_IDS } from '@nflab/contracts';
import { FilterButtons } from '../../components/FilterButtons.js';
import { useI18n } from '../../i18n/i18n.js';
import type { FilterKey, HistoryQuery } from './history-query.js';

type Filters = HistoryQuery['filters'];

/** The filter form. */
export const HistoryFilters = ({
  value,
  onApply,
}: {
  readonly value: Filters;
  readonly onApply: (filters: Filters) => void;
}) => {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Filters>(value);
  const set = (key: FilterKey, text: string | null) =>
    setDraft((previous) => ({ ...previous, [key]: text ?? '' }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const text = (key: FilterKey, label: string, type = 'text') => (
    <TextInput
      label={label}
      type={type}
      size="xs"
      value={draft[key] ?? ''}
      onChange={(event) => set(key, event.currentTarget.value)}
      data-testid={`filter-${key}`}
    />
  );
  return (
    <form onSubmit={submit} data-testid="history-filters">
      <Grid gap="xs" align="flex-end">
        <Grid.Col span={{ base: 6, md: 2 }}>
          <MultiSelect
            label={t('runs.status')}
            size="xs"
            data={RUN_STATUS_IDS.map((status) => ({ value: status, label: t(`status.${status}`) }))}
            value={(draft.status ?? '').split(',').filter((s) => s !== '')}
            onChange={(values) => set('status', values.join(','))}
            data-testid="filter-status"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>{text('model', t('runs.model'))}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 1 }}>
          <Select
            label={t('runs.backend')}
            size="xs"
            data={BACKEND_IDS}
            value={draft.backend ?? null}
            onChange={(backend) => set('backend', backend)}
            clearable
            data-testid="filter-backend"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 1 }}>{text('loto', t('runs.loto'))}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 1 }}>{text('unique_id', t('runs.uniqueId'))}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 1 }}>{text('h', 'h', 'number')}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 1 }}>{text('loss', t('runs.loss'))}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 1.5 }}>{text('from', t('history.from'), 'date')}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 1.5 }}>{text('to', t('history.to'), 'date')}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 1 }}>{text('metric', t('runs.metric'))}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 1 }}>{text('metric_min', t('history.metricMin'), 'number')}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 1 }}>{text('metric_max', t('history.metricMax'), 'number')}</Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>{text('tag', t('history.tag'))}</Grid.Col>
        <Grid.Col span={{ base: 12, md: 2 }}>
          <FilterButtons
            applyTestId="filter-apply"
            onClear={() => {
              setDraft({});
              onApply({});
            }}
          />
        </Grid.Col>
      </Grid>
    </form>
  );
};
