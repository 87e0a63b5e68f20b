/**
 * The SELECT behind a feature view: every base column plus derived `hist_*`, `stat_*` and `futr_*`
 * columns. The leak rule is structural: every `hist_*` value of draw t comes from a window frame or
 * a LAG that ends at the previous draw, so nothing observed at or after t can reach it.
 */
import { GAMES, GAME_IDS } from '@nflab/contracts';
import { JP_HOLIDAYS_TABLE } from './holiday-table.js';

/** Derived columns by role, in view order. */
export interface FeatureColumns {
  /** Known only from draws strictly before the row's draw. */
  readonly hist: readonly string[];
  /** Constant per series. */
  readonly stat: readonly string[];
  /** From the calendar alone, so known for future draws too. */
  readonly futr: readonly string[];
}

/** Rolling-mean windows of `y` used when none are given. */
export const DEFAULT_ROLLING_WINDOWS: readonly number[] = [5, 10];

// Main positions are N1…Nk and bonus positions B1…Bm (see seriesIds); four digits bound the cast.
const MAIN = `'^N[0-9]{1,4}$'`;
const BONUS = `'^B[0-9]{1,4}$'`;

/** The names of the derived columns for the given rolling windows. */
export const featureColumns = (rollingWindows: readonly number[]): FeatureColumns => ({
  hist: [
    'hist_y_lag_1',
    ...rollingWindows.map((k) => `hist_y_roll_mean_${k}`),
    'hist_draw_sum',
    'hist_draw_odd_count',
    'hist_draw_even_count',
    'hist_gap',
  ],
  stat: ['stat_position', 'stat_game', 'stat_is_bonus'],
  futr: ['futr_weekday', 'futr_month', 'futr_day_of_year', 'futr_is_holiday', 'futr_days_since_prev_draw'],
});

// Game code (1-based registry order) and main count, inlined from GAMES: constants of the code,
// never user input, so they can sit in the SQL text.
const gamesValues = (): string =>
  GAME_IDS.map((id, i) => `('${id}', ${i + 1}, ${GAMES[id].mainCount})`).join(', ');

/**
 * The view's SELECT over `quotedTable` (already validated and quoted). Draw order within a game is
 * `num`; a series is (loto, unique_id).
 */
export const featureViewSql = (quotedTable: string, rollingWindows: readonly number[]): string => {
  const rolling = rollingWindows
    .map((k) => `AVG(b.y) OVER (s ROWS BETWEEN ${k} PRECEDING AND 1 PRECEDING) AS roll_mean_${k}`)
    .join(',\n      ');
  const rollingOut = rollingWindows
    .map((k) => `s.roll_mean_${k}::double precision AS hist_y_roll_mean_${k}`)
    .join(',\n  ');
  return `
WITH draws AS (
  -- One row per draw with the summary of its main numbers.
  SELECT loto, num, MIN(ds)::date AS ds,
    SUM(y) FILTER (WHERE unique_id ~ ${MAIN}) AS main_sum,
    COUNT(*) FILTER (WHERE unique_id ~ ${MAIN} AND mod(y::numeric, 2) <> 0) AS main_odd,
    COUNT(*) FILTER (WHERE unique_id ~ ${MAIN} AND mod(y::numeric, 2) = 0) AS main_even
  FROM ${quotedTable}
  GROUP BY loto, num
),
draw_hist AS (
  -- seq counts the draws up to this one, so a gap in draws is a difference of seq.
  SELECT loto, num, ROW_NUMBER() OVER w AS seq,
    LAG(main_sum) OVER w AS prev_sum,
    LAG(main_odd) OVER w AS prev_odd,
    LAG(main_even) OVER w AS prev_even,
    ds - LAG(ds) OVER w AS days_since_prev
  FROM draws
  WINDOW w AS (PARTITION BY loto ORDER BY num)
),
series AS (
  -- Frames end one row before the current one: the current draw never enters its own features.
  SELECT b.loto, b.num, b.unique_id,
    LAG(b.y) OVER s AS prev_y,
    LAG(d.seq) OVER s AS prev_seq,
      ${rolling}
  FROM ${quotedTable} b
  JOIN draw_hist d ON d.loto = b.loto AND d.num = b.num
  WINDOW s AS (PARTITION BY b.loto, b.unique_id ORDER BY b.num)
),
appearances AS (
  SELECT DISTINCT b.loto, d.seq, b.y AS v
  FROM ${quotedTable} b
  JOIN draw_hist d ON d.loto = b.loto AND d.num = b.num
  WHERE b.unique_id ~ ${MAIN}
),
gap_events AS (
  -- For the value a series took at its previous draw, find the last earlier draw that had it among
  -- the mains: a running max over appearances (kind 1) read by lookups (kind 0) sorted just before
  -- the appearances of the same draw, so only strictly earlier draws count.
  SELECT loto, v, seq, 1 AS kind, NULL::text AS unique_id, NULL::integer AS num FROM appearances
  UNION ALL
  SELECT loto, prev_y, prev_seq, 0, unique_id, num FROM series WHERE prev_y IS NOT NULL
),
gaps AS (
  SELECT loto, num, unique_id, kind,
    seq - MAX(CASE WHEN kind = 1 THEN seq END)
      OVER (PARTITION BY loto, v ORDER BY seq, kind ROWS UNBOUNDED PRECEDING) AS gap
  FROM gap_events
)
SELECT b.*,
  s.prev_y::double precision AS hist_y_lag_1,
  ${rollingOut},
  d.prev_sum::double precision AS hist_draw_sum,
  d.prev_odd::integer AS hist_draw_odd_count,
  d.prev_even::integer AS hist_draw_even_count,
  g.gap::integer AS hist_gap,
  (CASE
    WHEN b.unique_id ~ ${MAIN} THEN substring(b.unique_id FROM 2)::integer
    WHEN b.unique_id ~ ${BONUS} THEN gm.main_count + substring(b.unique_id FROM 2)::integer
  END)::integer AS stat_position,
  gm.code::integer AS stat_game,
  (CASE WHEN b.unique_id ~ ${BONUS} THEN 1 WHEN b.unique_id ~ ${MAIN} THEN 0 END)::integer AS stat_is_bonus,
  EXTRACT(DOW FROM b.ds::date)::integer AS futr_weekday,
  EXTRACT(MONTH FROM b.ds::date)::integer AS futr_month,
  EXTRACT(DOY FROM b.ds::date)::integer AS futr_day_of_year,
  (CASE WHEN b.ds IS NULL THEN NULL WHEN h.ds IS NULL THEN 0 ELSE 1 END)::integer AS futr_is_holiday,
  d.days_since_prev::integer AS futr_days_since_prev_draw
FROM ${quotedTable} b
LEFT JOIN draw_hist d ON d.loto = b.loto AND d.num = b.num
LEFT JOIN series s ON s.loto = b.loto AND s.num = b.num AND s.unique_id = b.unique_id
LEFT JOIN gaps g ON g.kind = 0 AND g.loto = b.loto AND g.num = b.num AND g.unique_id = b.unique_id
LEFT JOIN (VALUES ${gamesValues()}) AS gm (loto, code, main_count) ON gm.loto = b.loto
LEFT JOIN ${JP_HOLIDAYS_TABLE} h ON h.ds = b.ds::date`;
};
