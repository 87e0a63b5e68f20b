/**
 * The horizon's timestamps and future exogenous values for predict: `futr_df` must hold every
 * series, every horizon timestamp and every futr_exog_list column (ConfigError otherwise).
 */
import { ConfigError } from '@nflab/contracts';
import { formatTime, futureTimes, parseTime } from '../data/freq.js';
import type { CategoryCodes } from '../categorical/vocab.js';
import { buildPanel, type DsValue, type Panel } from '../data/panel.js';
import type { LocalScalerState } from './local-scaling.js';
import { scaleColumn } from './local-scaling.js';
import type { FrameInput } from './types.js';

/** Horizon timestamps and scaled future values per series. */
export interface FuturePart {
  /** Per series id, the h future times. */
  readonly times: Readonly<Record<string, number[]>>;
  /** Per series id, per futr column, the h scaled values. */
  readonly values: Readonly<Record<string, Record<string, Float64Array>>>;
}

/** Options of {@link futurePart}. */
export interface FuturePartOptions {
  readonly panel: Panel;
  readonly h: number;
  /** Union of every model's futr_exog_list. */
  readonly futrColumns: readonly string[];
  readonly futrDf?: FrameInput;
  readonly calendar?: readonly DsValue[];
  readonly scalers: LocalScalerState | null;
  /** The fitted vocabulary's codes, for categorical futr columns. */
  readonly codes?: CategoryCodes;
}

/** Builds the horizon of every series; see the module comment. */
export const futurePart = (options: FuturePartOptions): FuturePart => {
  const { panel, h, futrColumns } = options;
  const freq = panel.freq;
  if (futrColumns.length > 0 && !options.futrDf) {
    throw new ConfigError(
      `futr_df is required: the models use future exogenous columns ${futrColumns.join(', ')}`,
    );
  }
  const futr = options.futrDf
    ? buildPanel({
        data: options.futrDf,
        freq,
        requireY: false,
        missing: 'fill-nan',
        ...(options.codes ? { codes: options.codes } : {}),
      })
    : null;
  if (futr) {
    const absent = futrColumns.filter((c) => !futr.exogColumns.includes(c));
    if (absent.length > 0)
      throw new ConfigError(
        `futr_df has no column(s) ${absent.join(', ')}; the models need ${futrColumns.join(', ')}`,
      );
  }
  const calendar = options.calendar?.map((d) => parseTime(freq, d));
  const times: Record<string, number[]> = {};
  const values: Record<string, Record<string, Float64Array>> = {};
  for (const series of panel.series) {
    const future = futr?.series.find((s) => s.id === series.id);
    // Irregular panels read their future dates from futr_df when it is given.
    const ownCalendar = freq === 'irregular' && future ? Array.from(future.time) : calendar;
    const expected = futureTimes({
      freq,
      times: series.time,
      h,
      ...(ownCalendar ? { calendar: ownCalendar } : {}),
    });
    times[series.id] = expected;
    if (futrColumns.length === 0) continue;
    if (!future) throw new ConfigError(`futr_df has no rows for series '${series.id}'`);
    const perColumn: Record<string, Float64Array> = {};
    for (const column of futrColumns) {
      const raw = expected.map((t) => {
        const index = future.time.indexOf(t);
        if (index < 0)
          throw new ConfigError(`futr_df has no row for series '${series.id}' at ds ${formatTime(freq, t)}`);
        return (future.exog[column] as Float64Array)[index] as number;
      });
      perColumn[column] = Float64Array.from(scaleColumn(options.scalers, series.id, column, raw));
    }
    values[series.id] = perColumn;
  }
  return { times, values };
};
