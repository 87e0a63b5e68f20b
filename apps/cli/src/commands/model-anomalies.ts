/**
 * `nflab model anomalies RUN --method zscore|mad|cusum|iqr`: a finished run's residual anomalies
 * (the runner's `detectRunAnomalies`, as `POST /api/runs/:id/anomalies` runs it), stored in
 * nf_residual_anomalies and audited as the server audits it.
 */
import type { Command } from 'commander';
import {
  ANOMALY_METHODS,
  ANOMALY_REFERENCES,
  parseInput,
  runAnomaliesRequestSchema,
  runParamsSchema,
} from '@nflab/contracts';
import type { RunAnomalies } from '@nflab/runner';
import { auditCli } from '../audit.js';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';
import { loadRunner } from '../work.js';

interface AnomalyFlags {
  readonly method: string;
  readonly reference?: string;
  readonly threshold?: string;
  readonly k?: string;
  readonly h?: string;
}

const num = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Number(value);

/** The detection as text: one line per scored series, the flagged points, what was skipped. */
export const renderAnomalies = (r: RunAnomalies): string => {
  const lines = [
    `run ${r.runId}: ${r.method} against ${r.reference === 'first_half' ? "each series' first half" : 'all residuals'}, ${r.anomalies.length} flagged`,
    '',
    formatTable(
      r.series.map((s) => ({
        series: s.uniqueId,
        model: s.model,
        points: s.points,
        reference: s.referencePoints,
        center: s.center.toPrecision(4),
        scale: s.scale.toPrecision(4),
        threshold: s.threshold,
        flagged: s.flagged,
      })),
    ),
  ];
  if (r.anomalies.length > 0) {
    lines.push(
      '',
      formatTable(
        r.anomalies.map((a) => ({
          series: a.unique_id,
          ds: a.ds,
          model: a.model ?? '',
          residual: a.residual.toPrecision(4),
          score: a.score.toPrecision(4),
        })),
      ),
    );
  }
  for (const skip of r.skipped) lines.push(`skipped ${skip.uniqueId} (${skip.model}): ${skip.reason}`);
  return lines.join('\n');
};

/** Registers `model anomalies`. */
export const anomaliesCommand = (model: Command): void => {
  model
    .command('anomalies <run>')
    .description("score a finished run's cross-validation residuals per series and store the flagged points")
    .requiredOption('--method <method>', `detector: ${ANOMALY_METHODS.join(' | ')}`)
    .option(
      '--reference <segment>',
      `location and scale from: ${ANOMALY_REFERENCES.join(' | ')} (default first_half)`,
    )
    .option('--threshold <z>', 'zscore (default 3) and mad (default 3.5): flag |z| above this')
    .option('--k <x>', 'cusum: slack in σ (default 0.5); iqr: fence distance in IQRs (default 1.5)')
    .option('--h <x>', 'cusum: decision interval in σ (default 5)')
    .action(async (run: string, flags: AnomalyFlags, command: Command) => {
      const { id } = parseInput(runParamsSchema, { id: run }, 'run');
      // The API's schema, so a flag is refused with the same message as the field.
      const { method, ...options } = parseInput(
        runAnomaliesRequestSchema,
        {
          method: flags.method,
          ...(flags.reference === undefined ? {} : { reference: flags.reference }),
          ...(flags.threshold === undefined ? {} : { threshold: num(flags.threshold) }),
          ...(flags.k === undefined ? {} : { k: num(flags.k) }),
          ...(flags.h === undefined ? {} : { h: num(flags.h) }),
        },
        'flags',
      );
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        const runner = await loadRunner();
        const result = await runner.detectRunAnomalies({ db, runId: id, method, options });
        await auditCli(ctx, db, {
          action: 'run.anomalies',
          entity: 'run',
          entityId: id,
          details: { method, reference: options.reference, flagged: result.anomalies.length },
        });
        ctx.out.result(result, () => renderAnomalies(result));
      });
    });
};
