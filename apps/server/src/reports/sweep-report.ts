/**
 * A sweep's report as one HTML page: its leaderboard (runs and the naive baselines ranked on one
 * metric) with the verdict corrected for the number of configurations tried, as the sweep page
 * shows it — computed by the same leaderboard function the API serves.
 */
import type { LeaderboardDto } from '@nflab/contracts';
import { esc, num, page, table, verdict } from './html.js';
import { barChart, type Bar } from './svg.js';

/** Everything a sweep report shows. */
export interface SweepReportData {
  readonly sweep: { readonly id: string; readonly name: string | null; readonly status: string };
  readonly leaderboard: LeaderboardDto;
  readonly madeAt: string;
}

/** The sweep's report page. */
export const renderSweepReport = ({ sweep, leaderboard, madeAt }: SweepReportData): string => {
  const { metric, correction, alpha } = leaderboard;
  const bars: Bar[] = leaderboard.rows.map((row) =>
    row.kind === 'baseline'
      ? { label: `baseline: ${row.baseline}`, value: row.value, tone: 'baseline' }
      : { label: row.label, value: row.value, tone: row.beatsChance ? 'beats' : 'run' },
  );
  const rows = leaderboard.rows.map((row) =>
    row.kind === 'baseline'
      ? [esc(row.rank), esc(`baseline: ${row.baseline}`), esc(num(row.value)), '', '', '', '', '']
      : [
          esc(row.rank),
          esc(row.label),
          esc(num(row.value)),
          esc(row.source),
          esc(row.bestBaseline ?? '—'),
          esc(num(row.pValue)),
          esc(num(row.adjustedPValue)),
          esc(row.beatsChance ? 'yes' : 'no'),
        ],
  );
  const unranked =
    leaderboard.unranked.length === 0
      ? ''
      : `<h3>Not ranked</h3>${table(
          ['run', 'why'],
          leaderboard.unranked.map((u) => [esc(u.label), esc(u.reason)]),
        )}`;
  const body = [
    verdict(leaderboard.verdict.beatsChance, leaderboard.verdict.text),
    `<section><h2>Leaderboard (${esc(metric)}, lower is better)</h2>
<p>${esc(leaderboard.configurations)} configurations, ${esc(leaderboard.ranked)} ranked; p-values against each run's best baseline, corrected with ${esc(correction)} at α = ${esc(num(alpha))}.</p>
${barChart({ title: `${metric} by run and baseline`, bars })}
${table(['rank', 'run or baseline', metric, 'points', 'best baseline', 'p-value', 'adjusted p', 'beats chance'], rows)}
${unranked}</section>`,
  ].join('\n');
  return page({
    title: `Sweep report: ${sweep.name ?? sweep.id}`,
    subtitle: `Sweep ${sweep.id} (${sweep.status}) · made ${madeAt}`,
    body,
  });
};
