/** Which part a panel column plays for a model, decided by its name prefix or by the caller. */
import { ConfigError } from '@nflab/contracts';

/** Exogenous roles, NeuralForecast's three: known in the future, known only in the past, static per series. */
export const EXOGENOUS_ROLES = ['futr', 'hist', 'stat'] as const;

/** An exogenous role. */
export type ExogenousRole = (typeof EXOGENOUS_ROLES)[number];

/** The columns every panel table must have. */
export const REQUIRED_PANEL_COLUMNS = ['unique_id', 'ds', 'y'] as const;

/** Role of a column: an exogenous role, or `other` (loaded for display, never a model input). */
export type PanelColumnRole = ExogenousRole | 'other';

/** Caller's role overrides by column name, e.g. `{ co: 'hist', n1pm: 'hist' }`. */
export type ExogenousMap = Readonly<Record<string, ExogenousRole>>;

/**
 * The role of `column`: the caller's mapping first, then the `futr_` / `hist_` / `stat_` prefix;
 * anything else (loto, num, co, prize columns) stays out of model inputs unless mapped.
 */
export const roleOf = (column: string, exogenousMap: ExogenousMap = {}): PanelColumnRole => {
  const mapped = exogenousMap[column];
  if (mapped !== undefined) return mapped;
  for (const role of EXOGENOUS_ROLES) if (column.startsWith(`${role}_`)) return role;
  return 'other';
};

/** Checks an exogenous map's roles and that it does not re-role unique_id, ds or y. */
export const validateExogenousMap = (exogenousMap: ExogenousMap): void => {
  for (const [column, role] of Object.entries(exogenousMap)) {
    if (!(EXOGENOUS_ROLES as readonly string[]).includes(role)) {
      throw new ConfigError(
        `exogenousMap.${column} = ${JSON.stringify(role)} is not a role; use one of ${EXOGENOUS_ROLES.join(', ')}`,
      );
    }
    if ((REQUIRED_PANEL_COLUMNS as readonly string[]).includes(column)) {
      throw new ConfigError(`exogenousMap cannot give ${column} a role: it is the panel's ${column}`);
    }
  }
};
