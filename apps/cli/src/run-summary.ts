/** Runs as commands print them: one row each with the numbers that tell whether the model beat chance. */
import type { RunSummaryRow } from '@nflab/store';
import { formatTable } from './output.js';

const num = (value: number | null, digits = 3): string => (value === null ? '' : value.toFixed(digits));

/** A text table of runs. */
export const renderRuns = (runs: readonly RunSummaryRow[]): string =>
  runs.length === 0
    ? 'no runs'
    : formatTable(
        runs.map((run) => ({
          run: run.id.slice(0, 8),
          status: run.status,
          op: run.operation,
          model: run.model_name ?? '',
          series: run.unique_ids.join(','),
          h: run.horizon ?? '',
          loss: run.loss ?? '',
          valid: num(run.valid_loss),
          mae: num(run.mae),
          'mean-baseline mae': num(run.baseline_mae),
          'beats chance': run.beats_all_baselines === null ? '' : run.beats_all_baselines ? 'yes' : 'no',
          seconds: num(run.duration_seconds, 1),
          error: (run.error_message ?? '').slice(0, 60),
        })),
        [
          'run',
          'status',
          'op',
          'model',
          'series',
          'h',
          'loss',
          'valid',
          'mae',
          'mean-baseline mae',
          'beats chance',
          'seconds',
          'error',
        ],
      );
