/**
 * A comparison's report as one HTML page: the stored result of `POST /api/analysis/compare` (the
 * runs' mean losses and ranks, every pair's tests with corrected p-values, the many-model tests),
 * with a verdict that says whether any run is shown to differ from the others at all.
 */
import type { CompareRunsDto } from '@nflab/contracts';
import { esc, num, page, table, verdict } from './html.js';
import { barChart } from './svg.js';

type Comparison = CompareRunsDto['comparison'];

/** Everything a comparison report shows. */
export interface CompareReportData {
  readonly analysisId: number;
  readonly comparison: Comparison;
  readonly madeAt: string;
}

/** Whether any pair differs after correction; a comparison of runs never by itself shows skill over chance. */
const compareVerdict = (c: Comparison): { beats: boolean | null; text: string } => {
  const significant = c.pairs.filter((p) => {
    const adjusted = p.adjusted.dieboldMariano ?? p.adjusted.tTest;
    return adjusted !== null && adjusted < c.alpha;
  });
  const differ =
    significant.length === 0
      ? `No pair of runs differs significantly after ${c.correction} correction at α = ${num(c.alpha)}: the lowest loss (${c.best}) may be luck.`
      : `${significant.length} of ${c.pairs.length} pairs differ significantly after ${c.correction} correction at α = ${num(c.alpha)}.`;
  return {
    beats: null,
    text: `${differ} A comparison ranks the runs against each other only; whether a run beats chance is shown by its own report (model vs the naive baselines).`,
  };
};

/** The comparison's report page. */
export const renderCompareReport = ({ analysisId, comparison: c, madeAt }: CompareReportData): string => {
  const { beats, text } = compareVerdict(c);
  const labels = new Map(c.runs.map((r) => [r.runId, r.label]));
  const runs = table(
    ['run', 'label', `mean ${c.loss} loss`, 'mean rank'],
    c.runs.map((r) => [esc(r.runId), esc(r.label), esc(num(r.meanLoss)), esc(num(r.meanRank))]),
  );
  const pairs = table(
    ['a', 'b', 'difference', 'DM p', 'DM p (adj.)', 't p (adj.)', 'Wilcoxon p (adj.)', "Cliff's δ"],
    c.pairs.map((p) => [
      esc(labels.get(p.a) ?? p.a),
      esc(labels.get(p.b) ?? p.b),
      esc(num(p.difference.estimate)),
      esc(num(p.dieboldMariano?.pValue)),
      esc(num(p.adjusted.dieboldMariano)),
      esc(num(p.adjusted.tTest)),
      esc(num(p.adjusted.wilcoxon)),
      esc(`${num(p.effectSizes.cliffsDelta.value)} ${p.effectSizes.cliffsDelta.magnitude ?? ''}`),
    ]),
  );
  const many =
    c.many === null
      ? ''
      : `<h3>All runs together</h3>${table(
          ['test', 'statistic', 'p-value'],
          [
            ['Friedman', esc(num(c.many.friedman.statistic)), esc(num(c.many.friedman.pValue))],
            ['ANOVA', esc(num(c.many.anova.statistic)), esc(num(c.many.anova.pValue))],
            [
              'Kruskal–Wallis',
              esc(num(c.many.kruskalWallis.statistic)),
              esc(num(c.many.kruskalWallis.pValue)),
            ],
          ],
        )}`;
  const dropped =
    c.dropped.length === 0
      ? ''
      : `<p>Dropped points: ${esc(c.dropped.map((d) => `${labels.get(d.runId) ?? d.runId}: ${d.notShared} not shared, ${d.missingValues} missing`).join('; '))}</p>`;
  const body = [
    verdict(beats, text),
    `<section><h2>Runs</h2><p>${esc(c.points)} shared points over ${esc(c.series)} series, horizon ${esc(c.h)}. Best: ${esc(labels.get(c.best) ?? c.best)}.</p>
${barChart({ title: `mean ${c.loss} loss by run`, bars: c.runs.map((r) => ({ label: r.label, value: r.meanLoss, tone: 'run' as const })) })}
${runs}${dropped}</section>`,
    `<section><h2>Pairs</h2>${pairs}${many}</section>`,
  ].join('\n');
  return page({
    title: `Comparison report: ${c.runs.length} runs`,
    subtitle: `Analysis ${analysisId} · made ${madeAt}`,
    body,
  });
};
