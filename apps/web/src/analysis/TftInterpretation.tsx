/**
 * What a fitted TFT weighed, as its run recorded it: the variable-selection weights of each input
 * group (static, encoder = past, decoder = future) as bars, and the attention of each horizon step
 * over the input window (and the horizon steps before it) as a heatmap.
 */
import { SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ModelInterpretationDto, VariableSelectionDto } from '@nflab/contracts';
import { useI18n } from '../i18n/i18n.js';

/** The input groups, in the network's order. */
export const TFT_GROUPS = ['static', 'past', 'future'] as const;
/** One of {@link TFT_GROUPS}. */
export type TftGroup = (typeof TFT_GROUPS)[number];

const WIDTH = 420;
const LABEL = 150;
const ROW = 18;

/** A group's mean weights as horizontal bars on a 0–1 scale, largest first. */
export const SelectionBars = ({
  group,
  weights,
}: {
  readonly group: TftGroup;
  readonly weights: VariableSelectionDto;
}) => {
  const rows = weights.variables
    .map((variable, i) => ({ variable, weight: weights.mean[i] ?? 0 }))
    .sort((a, b) => b.weight - a.weight);
  const x = (value: number) => (Math.max(0, Math.min(1, value)) * (WIDTH - LABEL - 50)) as number;
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${rows.length * ROW + 6}`}
      width="100%"
      style={{ maxWidth: WIDTH, fontSize: 11 }}
      data-testid={`tft-selection-${group}`}
      role="img"
      aria-label={`${group} variable selection`}
    >
      {rows.map((row, i) => (
        <g key={row.variable} data-testid="tft-selection-bar" data-variable={row.variable}>
          <text x={LABEL - 6} y={i * ROW + 13} textAnchor="end">
            {row.variable}
          </text>
          <rect x={LABEL} y={i * ROW + 3} width={Math.max(1, x(row.weight))} height={ROW - 6} fill="teal" />
          <text x={LABEL + x(row.weight) + 4} y={i * ROW + 13}>
            {row.weight.toFixed(3)}
          </text>
        </g>
      ))}
    </svg>
  );
};

/** The selection bars of every group the model has, each under its title. */
export const SelectionGroups = ({ interpretation }: { readonly interpretation: ModelInterpretationDto }) => {
  const { t } = useI18n();
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} data-testid="tft-selection">
      {TFT_GROUPS.map((group) => {
        const weights = interpretation[group];
        return weights === null ? null : (
          <Stack key={group} gap={4}>
            <Text size="sm" fw={600}>
              {t(`tft.group.${group}`)}
            </Text>
            <SelectionBars group={group} weights={weights} />
          </Stack>
        );
      })}
    </SimpleGrid>
  );
};

const CELL = 14;
const LEFT = 40;
const TOP = 8;

/** Step label relative to the forecast origin: input steps −L…−1, horizon steps +1…+H. */
const stepLabel = (column: number, inputSize: number): string =>
  column < inputSize ? String(column - inputSize) : `+${column - inputSize + 1}`;

/** Rows: horizon steps; columns: the window's steps; darker = more attention (scaled to the largest weight). */
export const AttentionHeatmap = ({ interpretation }: { readonly interpretation: ModelInterpretationDto }) => {
  const { attention, input_size: L } = interpretation;
  const columns = attention[0]?.length ?? 0;
  const max = Math.max(1e-12, ...attention.flat());
  const every = Math.max(1, Math.ceil(columns / 12)); // about a dozen column labels
  const width = LEFT + columns * CELL + 10;
  const height = TOP + attention.length * CELL + 24;
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={{ maxWidth: Math.max(width, 320), fontSize: 9 }}
      data-testid="tft-attention"
      data-rows={attention.length}
      data-columns={columns}
      role="img"
      aria-label="attention over the input window"
    >
      {attention.map((row, r) => (
        <g key={r}>
          <text x={LEFT - 4} y={TOP + r * CELL + 10} textAnchor="end">
            +{r + 1}
          </text>
          {row.map((weight, c) => (
            <rect
              key={c}
              data-testid="tft-attention-cell"
              x={LEFT + c * CELL}
              y={TOP + r * CELL}
              width={CELL - 1}
              height={CELL - 1}
              fill="crimson"
              fillOpacity={0.05 + 0.95 * (weight / max)}
            >
              <title>{`${stepLabel(c, L)} → +${r + 1}: ${weight.toFixed(4)}`}</title>
            </rect>
          ))}
        </g>
      ))}
      {Array.from({ length: columns }, (_, c) => c)
        .filter((c) => c % every === 0 || c === L)
        .map((c) => (
          <text key={c} x={LEFT + c * CELL + CELL / 2} y={height - 8} textAnchor="middle">
            {stepLabel(c, L)}
          </text>
        ))}
      <line
        x1={LEFT + L * CELL - 0.5}
        x2={LEFT + L * CELL - 0.5}
        y1={TOP - 4}
        y2={TOP + attention.length * CELL + 2}
        stroke="currentColor"
        strokeDasharray="3 2"
      />
    </svg>
  );
};

/** The run page's "TFT interpretability" section. */
export const TftInterpretation = ({
  interpretation,
}: {
  readonly interpretation: ModelInterpretationDto;
}) => {
  const { t } = useI18n();
  return (
    <Stack data-testid="tft-interpretation">
      <Title order={5}>{t('tft.title')}</Title>
      <Text size="xs" c="dimmed">
        {t('tft.note', { windows: interpretation.windows })}
      </Text>
      <SelectionGroups interpretation={interpretation} />
      <Title order={5}>{t('tft.attention')}</Title>
      <Text size="xs" c="dimmed">
        {t('tft.attentionNote', { L: interpretation.input_size, h: interpretation.h })}
      </Text>
      <AttentionHeatmap interpretation={interpretation} />
    </Stack>
  );
};
