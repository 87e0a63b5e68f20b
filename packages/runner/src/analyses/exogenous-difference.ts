/**
 * The effect of an exogenous group, as NeuralForecast users measure it: two runs identical but for
 * the exogenous columns their models read. When a comparison holds exactly two runs, this says
 * which columns each read that the other did not and whether anything else in their specs differs —
 * so the pair's Diebold–Mariano test and effect sizes are read as that group's effect, or not.
 */
import { canonicalJson } from '@nflab/contracts';
import type { AnalysedRunRow } from '@nflab/store';
import { analysedRunLabel } from './run-label.js';

const ROLES = ['futr', 'hist', 'stat'] as const;

/** Exogenous columns by role. */
export type ExogenousColumns = Readonly<Record<(typeof ROLES)[number], readonly string[]>>;

/** How two runs' exogenous inputs differ. */
export interface ExogenousDifference {
  /** Each run with the columns it read that the other did not. */
  readonly runs: readonly {
    readonly runId: string;
    readonly label: string;
    readonly only: ExogenousColumns;
  }[];
  /**
   * Spec fields other than `exogenous` in which the runs differ. Empty: the runs are otherwise
   * identical, and the pair's tests measure the effect of the differing columns alone.
   */
  readonly otherDifferences: readonly string[];
}

/** The columns a finished run's model read (model_properties.exogenous), or undefined when unknown. */
const usedColumns = (run: AnalysedRunRow): ExogenousColumns | undefined => {
  const exogenous = run.model_properties?.exogenous as Partial<Record<string, unknown>> | undefined;
  if (exogenous === undefined || exogenous === null) return undefined;
  const list = (role: string): string[] =>
    Array.isArray(exogenous[role]) ? (exogenous[role] as unknown[]).map(String) : [];
  return { futr: list('futr'), hist: list('hist'), stat: list('stat') };
};

const minus = (a: ExogenousColumns, b: ExogenousColumns): ExogenousColumns => ({
  futr: a.futr.filter((c) => !b.futr.includes(c)),
  hist: a.hist.filter((c) => !b.hist.includes(c)),
  stat: a.stat.filter((c) => !b.stat.includes(c)),
});

const isEmpty = (columns: ExogenousColumns): boolean => ROLES.every((role) => columns[role].length === 0);

/** Spec fields (top level) whose values differ, `exogenous` left out, sorted. */
const specDifferences = (a: Record<string, unknown>, b: Record<string, unknown>): string[] =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => key !== 'exogenous' && canonicalJson(a[key] ?? null) !== canonicalJson(b[key] ?? null))
    .sort();

/**
 * How the two runs' exogenous inputs differ; null when they read the same columns, or when either
 * has no record of its model's columns (not finished, or an operation that fits no model).
 */
export const exogenousDifference = (a: AnalysedRunRow, b: AnalysedRunRow): ExogenousDifference | null => {
  const usedA = usedColumns(a);
  const usedB = usedColumns(b);
  if (usedA === undefined || usedB === undefined) return null;
  const onlyA = minus(usedA, usedB);
  const onlyB = minus(usedB, usedA);
  if (isEmpty(onlyA) && isEmpty(onlyB)) return null;
  return {
    runs: [
      { runId: a.id, label: analysedRunLabel(a), only: onlyA },
      { runId: b.id, label: analysedRunLabel(b), only: onlyB },
    ],
    otherDifferences: specDifferences(a.spec ?? {}, b.spec ?? {}),
  };
};
