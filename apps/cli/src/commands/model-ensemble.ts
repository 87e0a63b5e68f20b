/**
 * `nflab model ensemble RUN RUN [RUN...] --method …`: finished runs' stored forecasts combined as a
 * run of its own, printed with each member's weight and error and the ensemble's score against its
 * best naive baseline.
 */
import type { Command } from 'commander';
import {
  ENSEMBLE_METHODS,
  ENSEMBLE_WEIGHT_METRICS,
  ensembleOptionsSchema,
  parseInput,
  type EnsembleOptions,
} from '@nflab/contracts';
import { listEnsembleMembers, type EnsembleMemberListRow, type Queryable } from '@nflab/store';
import { formatTable } from '../output.js';
import { submitAndWork, type OperationReport } from '../model-operation.js';
import { loadRunner } from '../work.js';

interface EnsembleFlags {
  readonly method?: string;
  readonly weightMetric?: string;
  readonly detach?: boolean;
}

const num = (value: number | null | undefined): string =>
  value === null || value === undefined ? '' : value.toFixed(4);

/** The members as a text table: position, run, model, weight and error in the weight metric. */
export const renderMembers = (members: readonly EnsembleMemberListRow[], weightMetric: string): string =>
  formatTable(
    members.map((m) => ({
      position: m.position,
      run: m.run_id.slice(0, 8),
      model: m.model_name ?? '',
      weight: num(m.weight),
      [weightMetric]: num(m.error),
    })),
    ['position', 'run', 'model', 'weight', weightMetric],
  );

/** The ensemble's score (its test part, else cross-validation) beside its best naive baseline. */
interface EnsembleScore {
  readonly source: 'test' | 'cv';
  readonly mae: number;
  readonly points: number | null;
  readonly best_baseline: string | null;
  readonly best_baseline_mae: number | null;
  /** One-sided Diebold–Mariano p of "the ensemble's loss is lower than the best baseline's". */
  readonly p_value: number | null;
  readonly beats_best_baseline: boolean;
}

const scoreText = (score: EnsembleScore | null): string => {
  if (score === null) return 'no MAE on evaluated points: nothing to score against the baselines';
  const head = `${score.source} mae ${num(score.mae)}${score.points === null ? '' : ` over ${score.points} points`}`;
  if (score.best_baseline === null) return `${head}; no naive baseline on these points`;
  const p = score.p_value === null ? 'no test' : `one-sided DM p = ${score.p_value.toPrecision(3)}`;
  const verdict = score.beats_best_baseline ? 'beats it' : 'does not beat it';
  return `${head}; best baseline ${score.best_baseline} ${num(score.best_baseline_mae)} (${p}): ${verdict} at p < 0.05`;
};

/** Reads the finished ensemble's members and its score; `--json` gets both beside the run. */
const reportFor =
  (options: EnsembleOptions): OperationReport =>
  async (db: Queryable, runId: string) => {
    const members = await listEnsembleMembers(db, runId);
    const runner = await loadRunner();
    // The leaderboard of the ensemble alone: its best baseline and the test against it, as sweeps rank runs.
    const board = await runner.runsLeaderboard(db, [runId]);
    const row = board.rows.find((r) => r.kind === 'run');
    const score: EnsembleScore | null =
      row?.kind === 'run'
        ? {
            source: row.source,
            mae: row.value,
            points: row.points,
            best_baseline: row.bestBaseline,
            best_baseline_mae: row.bestBaselineValue,
            p_value: row.pValue,
            beats_best_baseline: row.beatsChance,
          }
        : null;
    const { method, weight_metric } = options;
    return {
      data: { ensemble: { method, weight_metric, members, score } },
      text: [
        `${method} ensemble of ${members.length} runs${method === 'inverse_error' ? ` (weights ∝ 1 / ${weight_metric})` : ''}:`,
        renderMembers(members, weight_metric),
        '',
        scoreText(score),
      ].join('\n'),
    };
  };

/** Registers `model ensemble`. */
export const ensembleCommand = (model: Command): void => {
  model
    .command('ensemble <runs...>')
    .description(
      "combine finished runs' forecasts (same table, game and horizon) as a run of its own, linked to them",
    )
    .option('--method <method>', `${ENSEMBLE_METHODS.join(' | ')} (default mean)`)
    .option(
      '--weight-metric <metric>',
      `inverse_error weighs members by 1 / this error: ${ENSEMBLE_WEIGHT_METRICS.join(' | ')} (default mae)`,
    )
    .option('--detach', 'only queue it')
    .action(async (runs: string[], flags: EnsembleFlags, command: Command) => {
      // Parsed here too, so the audit entry records the method the defaults chose.
      const options = parseInput(
        ensembleOptionsSchema,
        {
          members: runs,
          ...(flags.method === undefined ? {} : { method: flags.method }),
          ...(flags.weightMetric === undefined ? {} : { weight_metric: flags.weightMetric }),
        },
        'ensemble',
      );
      await submitAndWork(
        command,
        {
          submit: (runner, db) => runner.submitEnsemble(db, new runner.RunQueue(db), options),
          audit: (runId) => ({
            action: 'run.ensemble',
            entity: 'run',
            entityId: runId,
            details: { members: options.members.map((id) => id.toLowerCase()), method: options.method },
          }),
          queued: (runId) =>
            `queued ensemble run ${runId} (${options.method} of ${options.members.length} runs)`,
        },
        { detach: flags.detach === true, report: reportFor(options) },
      );
    });
};
