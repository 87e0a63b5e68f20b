import { ConfigError } from '@nflab/contracts';
import { meanOrNull, requireFiniteNumbers, requirePositiveInteger } from './checks.js';

/** Naive forecasters every model is compared with (statsforecast's names, snake_case). */
export const BASELINE_IDS = [
  'naive',
  'seasonal_naive',
  'historic_average',
  'random_walk_with_drift',
  'window_average',
] as const;
/** One of {@link BASELINE_IDS}; persisted as this lowercase string. */
export type BaselineId = (typeof BASELINE_IDS)[number];

/** Settings a baseline may use. */
export interface BaselineOptions {
  /** Season length m for `seasonal_naive`. @default 1 */
  readonly seasonality?: number;
  /** Number of last values `window_average` averages. @default 10 */
  readonly window?: number;
}

/** The window average's default width: short enough for short histories, long enough to smooth. */
export const DEFAULT_WINDOW = 10;

interface BaselineInput {
  readonly history: readonly number[];
  readonly h: number;
  readonly seasonality: number;
  readonly window: number;
}

type Baseline = (input: BaselineInput) => number[];

function last(history: readonly number[]): number {
  return history[history.length - 1] ?? Number.NaN;
}

function requireLength(id: BaselineId, history: readonly number[], minimum: number, why: string): void {
  if (history.length < minimum) {
    throw new ConfigError(
      `baseline '${id}' needs a history of at least ${minimum} values (${why}), got ${history.length}`,
    );
  }
}

/** Each baseline's forecast for steps 1 … h, following statsforecast's definitions. */
const BASELINES = {
  /** ŷ_{T+k} = y_T. */
  naive: ({ history, h }) => Array.from({ length: h }, () => last(history)),
  /** ŷ_{T+k} = y_{T-m+1+((k-1) mod m)}: the last season, repeated. */
  seasonal_naive: ({ history, h, seasonality }) => {
    requireLength('seasonal_naive', history, seasonality, 'one full season of length seasonality');
    const seasonStart = history.length - seasonality;
    return Array.from({ length: h }, (_, k) => history[seasonStart + (k % seasonality)] ?? Number.NaN);
  },
  /** ŷ_{T+k} = mean(y_1 … y_T). */
  historic_average: ({ history, h }) => {
    const average = meanOrNull(history) ?? Number.NaN;
    return Array.from({ length: h }, () => average);
  },
  /** ŷ_{T+k} = y_T + k·(y_T - y_1)/(T - 1). */
  random_walk_with_drift: ({ history, h }) => {
    requireLength('random_walk_with_drift', history, 2, 'the drift is the slope from first to last value');
    const drift = (last(history) - (history[0] ?? Number.NaN)) / (history.length - 1);
    return Array.from({ length: h }, (_, k) => last(history) + (k + 1) * drift);
  },
  /** ŷ_{T+k} = mean(y_{T-w+1} … y_T). */
  window_average: ({ history, h, window }) => {
    requireLength('window_average', history, window, 'the window width');
    const average = meanOrNull(history.slice(history.length - window)) ?? Number.NaN;
    return Array.from({ length: h }, () => average);
  },
} as const satisfies Record<BaselineId, Baseline>;

/** Forecast of baseline `id` for the h steps after the end of `history` (oldest value first). */
export function baselineForecast(
  id: BaselineId,
  history: readonly number[],
  h: number,
  options: BaselineOptions = {},
): number[] {
  if (!Object.hasOwn(BASELINES, id)) {
    throw new ConfigError(`unknown baseline '${String(id)}'; allowed: ${BASELINE_IDS.join(', ')}`);
  }
  requirePositiveInteger(h, 'h');
  requireLength(id, history, 1, 'a forecast continues observed values');
  requireFiniteNumbers(history, 'history');
  return BASELINES[id]({
    history,
    h,
    seasonality: requirePositiveInteger(options.seasonality ?? 1, 'seasonality'),
    window: requirePositiveInteger(options.window ?? DEFAULT_WINDOW, 'window'),
  });
}
