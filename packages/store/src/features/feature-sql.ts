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

/** What each derived column means, for `nflab data features` and the UI's column help. */
export const featureDescriptions = (rollingWindows: readonly number[]): Record<string, string> => ({
  hist_y_lag_1: "the series' value at its previous draw",
  ...Object.fromEntries(
    rollingWindows.map((k) => [
      `hist_y_roll_mean_${k}`,
      `mean of the series' values over its previous ${k} draws (fewer at the start)`,
    ]),
  ),
  hist_draw_sum: "sum of the previous draw's main numbers",
  hist_draw_odd_count: "how many of the previous draw's main numbers were odd",
  hist_draw_even_count: "how many of the previous draw's main numbers were even",
  hist_gap:
    "draws between the series' previous value and that number's last earlier appearance among the game's main numbers",
  stat_position: 'position index: N1…Nk → 1…k, B1… → k+1…',
  stat_game: 'game code: 1-based order of the game registry',
  stat_is_bonus: '1 for bonus positions, 0 for main positions',
  futr_weekday: 'weekday of the draw (0 = Sunday)',
  futr_month: 'month of the draw (1–12)',
  futr_day_of_year: 'day of the year of the draw (1–366)',
  futr_is_holiday: '1 when the draw day is a Japanese public holiday',
  futr_days_since_prev_draw: "days since the game's previous draw",
});

// Game code (1-based registry order) and main count, inlined from GAMES: constants of the code,
// never user input, so they can sit in the SQL text. CASE rather than a join keeps the plan a
// straight pipeline of window sorts.
const gameCase = (column: string, value: (id: (typeof GAME_IDS)[number], i: number) => number): string =>
  `CASE ${column} ${GAME_IDS.map((id, i) => `WHEN '${id}' THEN ${value(id, i)}`).join(' ')} END`;

/** Inputs of {@link featureViewSql}. */
export interface FeatureViewSqlOptions {
  /** The base table, validated and quoted. */
  readonly quotedTable: string;
  /** Every base column, quoted, in table order: the view starts with them. */
  readonly quotedBaseColumns: readonly string[];
  readonly rollingWindows: readonly number[];
}

/**
 * The view's SELECT. Three layers of window functions over one scan of the table, no self-joins
 * (joins of window results made the planner loop row by row: minutes on a full history):
 * 1. `nflab_seq` numbers each game's draws in `num` order;
 * 2. draw-level windows whose RANGE frame is exactly the previous draw (`1 PRECEDING AND
 *    1 PRECEDING` on `nflab_seq`), and each row's gap back to its value's last earlier appearance
 *    among the mains (frame ends at the previous draw);
 * 3. series windows over (loto, unique_id) in `num` order whose frames end one row back.
 */
export const featureViewSql = (options: FeatureViewSqlOptions): string => {
  const { quotedTable, quotedBaseColumns, rollingWindows } = options;
  const rolling = rollingWindows
    .map(
      (k) =>
        `AVG(y) OVER (s ROWS BETWEEN ${k} PRECEDING AND 1 PRECEDING)::double precision AS hist_y_roll_mean_${k}`,
    )
    .join(',\n  ');
  return `
SELECT ${quotedBaseColumns.join(', ')},
  (LAG(y) OVER s)::double precision AS hist_y_lag_1,
  ${rolling},
  nflab_prev_sum::double precision AS hist_draw_sum,
  nflab_prev_odd::integer AS hist_draw_odd_count,
  nflab_prev_even::integer AS hist_draw_even_count,
  (LAG(nflab_gap) OVER s)::integer AS hist_gap,
  (CASE
    WHEN unique_id ~ ${MAIN} THEN substring(unique_id FROM 2)::integer
    WHEN unique_id ~ ${BONUS} THEN ${gameCase('loto', (id) => GAMES[id].mainCount)} + substring(unique_id FROM 2)::integer
  END)::integer AS stat_position,
  (${gameCase('loto', (_, i) => i + 1)})::integer AS stat_game,
  (CASE WHEN unique_id ~ ${BONUS} THEN 1 WHEN unique_id ~ ${MAIN} THEN 0 END)::integer AS stat_is_bonus,
  EXTRACT(DOW FROM ds::date)::integer AS futr_weekday,
  EXTRACT(MONTH FROM ds::date)::integer AS futr_month,
  EXTRACT(DOY FROM ds::date)::integer AS futr_day_of_year,
  (CASE
    WHEN ds IS NULL THEN NULL
    WHEN EXISTS (SELECT 1 FROM ${JP_HOLIDAYS_TABLE} h WHERE h.ds = nflab_draws.ds::date) THEN 1
    ELSE 0
  END)::integer AS futr_is_holiday,
  (ds::date - nflab_prev_ds)::integer AS futr_days_since_prev_draw
FROM (
  SELECT nflab_ranked.*,
    SUM(CASE WHEN nflab_main THEN y END) OVER d AS nflab_prev_sum,
    SUM(CASE WHEN nflab_main AND mod(y::numeric, 2) <> 0 THEN 1 WHEN nflab_main THEN 0 END) OVER d AS nflab_prev_odd,
    SUM(CASE WHEN nflab_main AND mod(y::numeric, 2) = 0 THEN 1 WHEN nflab_main THEN 0 END) OVER d AS nflab_prev_even,
    MAX(ds::date) OVER d AS nflab_prev_ds,
    -- A missing value has no gap (NULLs share one partition but are not one number).
    CASE WHEN y IS NOT NULL THEN nflab_seq - MAX(CASE WHEN nflab_main THEN nflab_seq END) OVER (
      PARTITION BY loto, y ORDER BY nflab_seq RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) END AS nflab_gap
  FROM (
    SELECT ${quotedTable}.*,
      DENSE_RANK() OVER (PARTITION BY loto ORDER BY num) AS nflab_seq,
      COALESCE(unique_id ~ ${MAIN}, FALSE) AS nflab_main
    FROM ${quotedTable}
  ) AS nflab_ranked
  WINDOW d AS (PARTITION BY loto ORDER BY nflab_seq RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING)
) AS nflab_draws
WINDOW s AS (PARTITION BY loto, unique_id ORDER BY num)`;
};
