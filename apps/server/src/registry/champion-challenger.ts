/**
 * Champion vs challenger (issue 17, item 6): the versions two aliases point at, compared on the
 * most recent forecast points both runs stored with known actuals — paired tests and an A/B power
 * analysis (the runner's compareStoredPair). Shared by the API and `nflab registry compare`.
 */
import type { RegistryCompareDto, registryCompareQuerySchema } from '@nflab/contracts';
import { compareStoredPair } from '@nflab/runner';
import type { ModelRegistryRow, Queryable } from '@nflab/store';
import { requireRegistryAlias, runOfVersion } from './moves.js';

/** What to compare and how. */
export interface AliasComparison {
  readonly name: string;
  readonly champion: string;
  readonly challenger: string;
  /** The most recent shared points compared. */
  readonly recent: number;
  readonly alpha: number;
  /** Wanted power of the A/B test. */
  readonly power: number;
  /** MAE difference the power analysis is for. @default the observed difference */
  readonly maeDifference?: number;
}

/** The comparison a parsed compare query (API query string or CLI options) asks for. */
export const aliasComparison = (
  name: string,
  query: ReturnType<typeof registryCompareQuerySchema.parse>,
): AliasComparison => ({
  name,
  champion: query.champion,
  challenger: query.challenger,
  recent: query.recent,
  alpha: query.alpha,
  power: query.power,
  ...(query.mae_difference === undefined ? {} : { maeDifference: query.mae_difference }),
});

/** Compares the versions two aliases of a registered model point at. */
export const compareAliases = async (
  db: Queryable,
  request: AliasComparison,
): Promise<RegistryCompareDto> => {
  const champion = await requireRegistryAlias(db, request.name, request.champion);
  const challenger = await requireRegistryAlias(db, request.name, request.challenger);
  const side = (row: ModelRegistryRow, alias: string) => ({
    runId: runOfVersion(row),
    label: `${request.name}@${alias} (version ${row.version})`,
  });
  const result = await compareStoredPair(
    db,
    { champion: side(champion, request.champion), challenger: side(challenger, request.challenger) },
    {
      recent: request.recent,
      alpha: request.alpha,
      power: request.power,
      ...(request.maeDifference === undefined ? {} : { maeDifference: request.maeDifference }),
    },
  );
  const dto = (row: ModelRegistryRow, alias: string, mae: number) => ({
    alias,
    version: row.version,
    run_id: runOfVersion(row),
    mae,
  });
  return {
    name: request.name,
    champion: dto(champion, request.champion, result.championMae),
    challenger: dto(challenger, request.challenger, result.challengerMae),
    points: result.points,
    from: result.from,
    to: result.to,
    // The analysis result is the schema's shape with more fields (the schema passes them through).
    comparison: result.comparison as unknown as RegistryCompareDto['comparison'],
    power: result.power,
    verdict: result.verdict,
  };
};
