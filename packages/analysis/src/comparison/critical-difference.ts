import { ConfigError } from '@nflab/contracts';
import { friedmanTest } from './friedman.js';
import { requireBlockMatrix, requireProbability } from './inputs.js';
import { nemenyiCriticalDifference } from './nemenyi.js';

/** Options of {@link criticalDifferenceDiagram}. */
export interface CriticalDifferenceOptions {
  /** One name per column (run), shown on the diagram. @default 'run 1', 'run 2', … */
  readonly labels?: readonly string[];
  /** Significance level of the critical difference. @default 0.05 */
  readonly alpha?: number;
}

/** One run on the diagram. */
export interface CriticalDifferenceModel {
  readonly label: string;
  /** Column of the run in the input matrix. */
  readonly column: number;
  readonly meanRank: number;
}

/** A maximal group of runs whose mean ranks lie within less than CD of each other: one bar. */
export interface CriticalDifferenceClique {
  /** Labels, best (lowest mean rank) first. */
  readonly members: string[];
  /** Mean ranks where the bar starts and ends. */
  readonly from: number;
  readonly to: number;
}

/** Everything needed to draw a critical difference diagram (Demšar 2006), as plain data. */
export interface CriticalDifferenceDiagram {
  readonly alpha: number;
  readonly blocks: number;
  readonly treatments: number;
  readonly criticalDifference: number;
  /** Runs sorted by mean rank, best (lowest loss) first; ties keep column order. */
  readonly models: CriticalDifferenceModel[];
  /** Bars over runs that do not differ significantly; only groups of two or more. */
  readonly cliques: CriticalDifferenceClique[];
  /** Friedman's p-value, so a diagram can say when no difference is significant at all. */
  readonly friedmanPValue: number | null;
}

/**
 * Plain data for a critical difference diagram: runs sorted by mean rank, Nemenyi's CD at α, and
 * the cliques, i.e. the maximal runs of consecutive models (in rank order) whose mean ranks differ by
 * less than CD. A model in no clique differs significantly from every other. Needs k ≥ 3 runs
 * (Friedman's minimum) and n ≥ 2 blocks.
 * @see https://jmlr.org/papers/v7/demsar06a.html
 */
export function criticalDifferenceDiagram(
  matrix: readonly (readonly number[])[],
  options: CriticalDifferenceOptions = {},
): CriticalDifferenceDiagram {
  const { blocks, treatments } = requireBlockMatrix(matrix, 'critical difference diagram', 2, 3);
  const alpha = requireProbability(options.alpha ?? 0.05, 'alpha');
  const labels = options.labels ?? Array.from({ length: treatments }, (_, j) => `run ${j + 1}`);
  if (labels.length !== treatments) {
    throw new ConfigError(
      `labels must name each of the ${treatments} runs (columns), got ${labels.length} labels`,
    );
  }
  const friedman = friedmanTest(matrix);
  const { criticalDifference } = nemenyiCriticalDifference(treatments, blocks, alpha);
  const models = friedman.meanRanks
    .map((meanRank, column) => ({ label: labels[column] ?? '', column, meanRank }))
    .sort((a, b) => a.meanRank - b.meanRank || a.column - b.column);
  return {
    alpha,
    blocks,
    treatments,
    criticalDifference,
    models,
    cliques: cliques(models, criticalDifference),
    friedmanPValue: friedman.pValue,
  };
}

/** Maximal windows [i, j] of the sorted models with meanRank_j − meanRank_i < cd and j > i. */
function cliques(models: readonly CriticalDifferenceModel[], cd: number): CriticalDifferenceClique[] {
  const out: CriticalDifferenceClique[] = [];
  let previousEnd = -1;
  for (let i = 0; i < models.length; i++) {
    const start = models[i] as CriticalDifferenceModel;
    let end = i;
    while (
      end + 1 < models.length &&
      (models[end + 1] as CriticalDifferenceModel).meanRank - start.meanRank < cd
    )
      end++;
    // The window's end never moves left as i grows, so a window ending where the previous one
    // did lies inside it and is not maximal.
    if (end > i && end > previousEnd) {
      const members = models.slice(i, end + 1);
      out.push({
        members: members.map((m) => m.label),
        from: start.meanRank,
        to: (members[members.length - 1] as CriticalDifferenceModel).meanRank,
      });
    }
    previousEnd = Math.max(previousEnd, end);
  }
  return out;
}
