/**
 * An importance run's results: the all-series ranking as bars with their intervals (permutation:
 * over the repeats; SHAP and integrated gradients: ± one standard deviation over the windows), and
 * for SHAP and integrated gradients a per-forecast view of how each column moves one window's
 * forecast from the expected value to f(x).
 */
import { useState } from 'react';
import { Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { api } from '../api/endpoints.js';
import type { FeatureImportance } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { AsyncView } from '../components/AsyncView.js';
import { useI18n } from '../i18n/i18n.js';
import { SelectionGroups } from './TftInterpretation.js';

/** The parts of an importance run's `metrics.importance` summary this view reads. */
interface ImportanceSummary {
  readonly method?: string;
  readonly windows?: readonly { readonly unique_id: string; readonly cutoff: string | number }[];
  readonly window_values?: readonly {
    readonly fx: number;
    readonly expected_value?: number;
    readonly f_baseline?: number;
  }[];
}

const WIDTH = 640;
const LABEL = 170;
const ROW = 20;

/** Horizontal bars of the all-series importances, with their interval as a whisker. */
const ImportanceBars = ({ rows }: { readonly rows: readonly FeatureImportance[] }) => {
  const low = (row: FeatureImportance) =>
    row.ci_low ?? (row.std === null ? row.importance : row.importance - row.std);
  const high = (row: FeatureImportance) =>
    row.ci_high ?? (row.std === null ? row.importance : row.importance + row.std);
  const min = Math.min(0, ...rows.map(low));
  const max = Math.max(...rows.map(high), 1e-12);
  const x = (value: number) => LABEL + ((value - min) / (max - min)) * (WIDTH - LABEL - 20);
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${rows.length * ROW + 10}`}
      width="100%"
      style={{ maxWidth: WIDTH, fontSize: 11 }}
      data-testid="importance-bars"
      role="img"
      aria-label="importance"
    >
      {rows.map((row, i) => (
        <g key={row.feature} data-testid="importance-bar">
          <text x={LABEL - 6} y={i * ROW + 14} textAnchor="end">
            {row.feature}
          </text>
          <rect
            x={x(Math.min(0, row.importance))}
            y={i * ROW + 4}
            width={Math.abs(x(row.importance) - x(0))}
            height={ROW - 8}
            fill="steelblue"
          />
          <line
            x1={x(low(row))}
            x2={x(high(row))}
            y1={i * ROW + 10}
            y2={i * ROW + 10}
            stroke="currentColor"
          />
        </g>
      ))}
      <line x1={x(0)} x2={x(0)} y1={0} y2={rows.length * ROW + 6} stroke="currentColor" strokeOpacity={0.5} />
    </svg>
  );
};

/** One forecast's attribution as a waterfall from E[f] (or f(baseline)) to f(x). */
const ForceView = ({
  start,
  end,
  contributions,
}: {
  readonly start: number;
  readonly end: number;
  readonly contributions: readonly { feature: string; value: number }[];
}) => {
  const sorted = [...contributions].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  let level = start;
  const steps = sorted.map((c) => {
    const from = level;
    level += c.value;
    return { ...c, from, to: level };
  });
  const values = [start, end, ...steps.flatMap((s) => [s.from, s.to])];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (value: number) => LABEL + ((value - min) / span) * (WIDTH - LABEL - 20);
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${(steps.length + 2) * ROW + 10}`}
      width="100%"
      style={{ maxWidth: WIDTH, fontSize: 11 }}
      data-testid="importance-force"
      role="img"
      aria-label="forecast attribution"
    >
      <text x={LABEL - 6} y={14} textAnchor="end">
        E[f] = {start.toFixed(3)}
      </text>
      <line
        x1={x(start)}
        x2={x(start)}
        y1={4}
        y2={(steps.length + 2) * ROW}
        stroke="currentColor"
        strokeDasharray="3 3"
      />
      {steps.map((step, i) => (
        <g key={step.feature} data-testid="importance-force-step">
          <text x={LABEL - 6} y={(i + 1) * ROW + 14} textAnchor="end">
            {step.feature} {step.value >= 0 ? '+' : '−'}
            {Math.abs(step.value).toFixed(3)}
          </text>
          <rect
            x={x(Math.min(step.from, step.to))}
            y={(i + 1) * ROW + 4}
            width={Math.max(1, Math.abs(x(step.to) - x(step.from)))}
            height={ROW - 8}
            fill={step.value >= 0 ? 'crimson' : 'steelblue'}
          />
        </g>
      ))}
      <text x={LABEL - 6} y={(steps.length + 1) * ROW + 14} textAnchor="end" fontWeight={700}>
        f(x) = {end.toFixed(3)}
      </text>
      <line
        x1={x(end)}
        x2={x(end)}
        y1={(steps.length + 1) * ROW + 2}
        y2={(steps.length + 2) * ROW}
        stroke="currentColor"
        strokeWidth={2}
      />
    </svg>
  );
};

/** The parent TFT's own selection weights, beside the importance measured on its saved model. */
const ParentSelection = ({ parentRunId }: { readonly parentRunId: string }) => {
  const { t } = useI18n();
  const parent = useApi(`run:${parentRunId}`, () => api.run(parentRunId));
  const interpretation = ('data' in parent ? parent.data?.interpretation : null) ?? null;
  return interpretation === null ? null : (
    <Stack gap="xs" data-testid="importance-tft-selection">
      <Title order={5}>{t('tft.selectionBeside')}</Title>
      <SelectionGroups interpretation={interpretation} />
    </Stack>
  );
};

/** The importance tab of an importance run. */
export const ImportancePanel = ({
  runId,
  parentRunId,
  summary,
}: {
  readonly runId: string;
  /** The run whose saved model was measured; its TFT selection weights show beside, when it has them. */
  readonly parentRunId: string | null;
  readonly summary: ImportanceSummary | undefined;
}) => {
  const { t, format } = useI18n();
  const rows = useApi(`importance:${runId}`, () => api.importance(runId));
  const [windowIndex, setWindowIndex] = useState<string | null>('0');
  return (
    <AsyncView resource={rows} isEmpty={(data) => data.items.length === 0} empty={t('importance.none')}>
      {({ items }) => {
        const overall = items.filter((row) => row.unique_id === null);
        const w = Number(windowIndex ?? 0);
        const perWindow = overall.every((row) => Array.isArray(row.details.values));
        const value = summary?.window_values?.[w];
        const start = value?.expected_value ?? value?.f_baseline;
        return (
          <Stack data-testid="importance-panel">
            <Title order={5}>
              {t('importance.ranking')} · {overall[0]?.method}
            </Title>
            <SimpleGrid cols={{ base: 1, lg: parentRunId === null ? 1 : 2 }}>
              <ImportanceBars rows={overall} />
              {parentRunId !== null && <ParentSelection parentRunId={parentRunId} />}
            </SimpleGrid>
            <Table fz="xs" striped data-testid="importance-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>{t('exog.column')}</Table.Th>
                  <Table.Th>{t('importance.value')}</Table.Th>
                  <Table.Th>{t('importance.interval')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {overall.map((row) => (
                  <Table.Tr key={row.feature}>
                    <Table.Td>{row.rank}</Table.Td>
                    <Table.Td>{row.feature}</Table.Td>
                    <Table.Td>{format.number(row.importance)}</Table.Td>
                    <Table.Td>
                      {row.ci_low !== null && row.ci_high !== null
                        ? `[${format.number(row.ci_low)}, ${format.number(row.ci_high)}]`
                        : row.std !== null
                          ? `± ${format.number(row.std)}`
                          : ''}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {perWindow && summary?.windows !== undefined && value !== undefined && start !== undefined && (
              <Stack gap="xs">
                <Title order={5}>{t('importance.force')}</Title>
                <Select
                  size="xs"
                  w={260}
                  data={summary.windows.map((win, i) => ({
                    value: String(i),
                    label: `${win.unique_id} · ${String(win.cutoff)}`,
                  }))}
                  value={windowIndex}
                  onChange={setWindowIndex}
                  allowDeselect={false}
                  data-testid="importance-window"
                />
                <ForceView
                  start={start}
                  end={value.fx}
                  contributions={overall.map((row) => ({
                    feature: row.feature,
                    value: (row.details.values as number[])[w] ?? 0,
                  }))}
                />
                <Text size="xs" c="dimmed">
                  {t('importance.forceNote')}
                </Text>
              </Stack>
            )}
          </Stack>
        );
      }}
    </AsyncView>
  );
};
