import { ConfigError } from '@nflab/contracts';
import { BASELINE_IDS, baselineForecast, type BaselineId } from './baselines.js';
import { requirePositiveInteger } from './checks.js';
import { dieboldMariano, type DieboldMarianoLoss, type DieboldMarianoResult } from './diebold-mariano.js';
import { evaluate, type EvaluatedPoint, type EvaluateOptions, type Evaluation } from './evaluate.js';

/** A model's forecast point with the cutoff of the window it belongs to. */
export type WindowedPoint = EvaluatedPoint & { readonly cutoff: string | number };

/** What the runner hands over once per run. */
export interface BaselineComparisonInput {
  /**
   * The model's forecast points. Points of one (uniqueId, cutoff) window must appear in ds order:
   * the k-th of them is compared with the baselines' k-th step. Windows may interleave.
   */
  readonly points: readonly WindowedPoint[];
  /** Observed values of a series up to and including the cutoff, oldest first. */
  readonly histories: (uniqueId: string, cutoff: string | number) => readonly number[];
  /** Forecast horizon: the most points one window may hold, and the DM test's horizon. */
  readonly h: number;
  /** Season length for `seasonal_naive` and MASE. @default 1 */
  readonly seasonality?: number;
  /** Width of `window_average`. @default 10 ({@link DEFAULT_WINDOW}) */
  readonly window?: number;
  /** Loss of the Diebold-Mariano tests; absolute matches MAE, the metric `beatsAllBaselines` ranks by. @default 'absolute' */
  readonly loss?: DieboldMarianoLoss;
  readonly train: EvaluateOptions['train'];
}

/** The model's metrics beside every baseline's on the same points, with a DM test against each. */
export interface BaselineComparison {
  readonly model: Evaluation;
  readonly baselines: Readonly<Record<BaselineId, Evaluation>>;
  /** DM test of model vs each baseline on the paired errors (null when it cannot be computed). */
  readonly significance: Readonly<Record<BaselineId, DieboldMarianoResult | null>>;
  /** True when the model's MAE is below every baseline's AND the DM test finds it better than each at α = 0.05. */
  readonly beatsAllBaselines: boolean;
}

interface PointStep {
  readonly point: WindowedPoint;
  /** 0-based step within the point's (uniqueId, cutoff) window. */
  readonly step: number;
}

/** Step of each point within its window, counted in input order; a Map keeps 1 and '1' apart. */
function stepsWithinWindows(points: readonly WindowedPoint[], h: number): PointStep[] {
  const counts = new Map<string, Map<string | number, number>>();
  return points.map((point) => {
    const seriesCounts = counts.get(point.uniqueId) ?? new Map<string | number, number>();
    counts.set(point.uniqueId, seriesCounts);
    const step = seriesCounts.get(point.cutoff) ?? 0;
    if (step >= h) {
      throw new ConfigError(
        `window (uniqueId '${point.uniqueId}', cutoff ${JSON.stringify(point.cutoff)}) has more than h=${h} points; each cutoff's window holds at most h forecasts`,
      );
    }
    seriesCounts.set(point.cutoff, step + 1);
    return { point, step };
  });
}

/** The baseline's forecast for every point, computing one forecast per window. */
function baselinePoints(
  id: BaselineId,
  steps: readonly PointStep[],
  input: BaselineComparisonInput,
): EvaluatedPoint[] {
  const forecasts = new Map<string, Map<string | number, number[]>>();
  return steps.map(({ point, step }) => {
    const seriesForecasts = forecasts.get(point.uniqueId) ?? new Map<string | number, number[]>();
    forecasts.set(point.uniqueId, seriesForecasts);
    let forecast = seriesForecasts.get(point.cutoff);
    if (!forecast) {
      const history = input.histories(point.uniqueId, point.cutoff);
      forecast = forecastWindow(id, history, input, point);
      seriesForecasts.set(point.cutoff, forecast);
    }
    return { uniqueId: point.uniqueId, cutoff: point.cutoff, y: point.y, yhat: forecast[step] ?? Number.NaN };
  });
}

function forecastWindow(
  id: BaselineId,
  history: readonly number[],
  input: BaselineComparisonInput,
  point: WindowedPoint,
): number[] {
  try {
    return baselineForecast(id, history, input.h, { seasonality: input.seasonality, window: input.window });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      `history of uniqueId '${point.uniqueId}' at cutoff ${JSON.stringify(point.cutoff)}: ${error.message}`,
      { cause: error },
    );
  }
}

/** Asks for each window's history once, not once per baseline: the caller may slice or query for it. */
function rememberHistories(
  histories: BaselineComparisonInput['histories'],
): BaselineComparisonInput['histories'] {
  const remembered = new Map<string, Map<string | number, readonly number[]>>();
  return (uniqueId, cutoff) => {
    const seriesHistories = remembered.get(uniqueId) ?? new Map<string | number, readonly number[]>();
    remembered.set(uniqueId, seriesHistories);
    const history = seriesHistories.get(cutoff) ?? histories(uniqueId, cutoff);
    seriesHistories.set(cutoff, history);
    return history;
  };
}

function errorsOf(points: readonly EvaluatedPoint[]): number[] {
  return points.map((p) => p.y - p.yhat);
}

/** Model metrics, every baseline's metrics on the same points, and a DM test of the model vs each baseline. */
export function compareWithBaselines(input: BaselineComparisonInput): BaselineComparison {
  const h = requirePositiveInteger(input.h, 'h');
  const evaluateOptions = { train: input.train, seasonality: input.seasonality };
  const model = evaluate(input.points, evaluateOptions);
  const steps = stepsWithinWindows(input.points, h);
  const modelErrors = errorsOf(input.points);
  const withHistories = { ...input, histories: rememberHistories(input.histories) };
  const baselines = {} as Record<BaselineId, Evaluation>;
  const significance = {} as Record<BaselineId, DieboldMarianoResult | null>;
  for (const id of BASELINE_IDS) {
    const points = baselinePoints(id, steps, withHistories);
    baselines[id] = evaluate(points, evaluateOptions);
    significance[id] = dieboldMariano(modelErrors, errorsOf(points), { h, loss: input.loss ?? 'absolute' });
  }
  const modelMae = model.overall.mae;
  const beatsAllBaselines =
    modelMae !== null &&
    BASELINE_IDS.every((id) => {
      const baselineMae = baselines[id].overall.mae;
      return baselineMae !== null && modelMae < baselineMae && significance[id]?.better === 'model';
    });
  return { model, baselines, significance, beatsAllBaselines };
}
