/**
 * Demšar's critical-difference diagram as SVG: an axis of mean ranks (1 = best, left), each run
 * hung from its mean rank, the critical difference as a bar, and a thick line under every group of
 * runs whose ranks do not differ significantly. Plain data in, so it prints the same in reports.
 */
import type { RunComparisonResult } from '../api/types.js';

type Diagram = NonNullable<RunComparisonResult['comparison']['many']>['criticalDifference'];

const WIDTH = 640;
const MARGIN = 150;
const AXIS_Y = 40;
const ROW = 18;

/** The diagram of a comparison of three or more runs. */
export const CriticalDifferenceDiagram = ({ diagram }: { readonly diagram: Diagram }) => {
  const k = diagram.models.length;
  const x = (rank: number): number => MARGIN + ((rank - 1) / Math.max(1, k - 1)) * (WIDTH - 2 * MARGIN);
  const half = Math.ceil(k / 2);
  const height = AXIS_Y + 30 + diagram.cliques.length * 8 + half * ROW + 10;
  const labelY = (i: number): number => AXIS_Y + 30 + diagram.cliques.length * 8 + (i % half) * ROW;
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      role="img"
      aria-label="critical difference diagram"
      data-testid="cd-diagram"
      style={{ maxWidth: WIDTH, fontSize: 11 }}
    >
      <line x1={x(1)} x2={x(k)} y1={AXIS_Y} y2={AXIS_Y} stroke="currentColor" />
      {Array.from({ length: k }, (_, i) => (
        <g key={i}>
          <line x1={x(i + 1)} x2={x(i + 1)} y1={AXIS_Y - 4} y2={AXIS_Y} stroke="currentColor" />
          <text x={x(i + 1)} y={AXIS_Y - 8} textAnchor="middle">
            {i + 1}
          </text>
        </g>
      ))}
      <g data-testid="cd-bar">
        <line
          x1={x(1)}
          x2={x(1 + diagram.criticalDifference)}
          y1={12}
          y2={12}
          stroke="crimson"
          strokeWidth={2}
        />
        <text x={x(1 + diagram.criticalDifference) + 6} y={15}>
          CD = {diagram.criticalDifference.toFixed(2)}
        </text>
      </g>
      {diagram.cliques.map((clique, i) => (
        <line
          key={clique.members.join('|')}
          data-testid="cd-clique"
          x1={x(clique.from) - 3}
          x2={x(clique.to) + 3}
          y1={AXIS_Y + 12 + i * 8}
          y2={AXIS_Y + 12 + i * 8}
          stroke="currentColor"
          strokeWidth={4}
        />
      ))}
      {diagram.models.map((model, i) => {
        const left = i < half;
        const y = labelY(i);
        const end = left ? MARGIN - 10 : WIDTH - MARGIN + 10;
        return (
          <g key={model.label} data-testid="cd-model">
            <polyline
              points={`${x(model.meanRank)},${AXIS_Y} ${x(model.meanRank)},${y} ${end},${y}`}
              fill="none"
              stroke="currentColor"
              strokeOpacity={0.6}
            />
            <text x={left ? end - 4 : end + 4} y={y + 4} textAnchor={left ? 'end' : 'start'}>
              {model.label} ({model.meanRank.toFixed(2)})
            </text>
          </g>
        );
      })}
    </svg>
  );
};
