/**
 * Queuing an ensemble: a run that combines finished runs' stored forecasts. Its spec is the first
 * member's with the series all members share — the data its metrics and naive baselines are scored
 * on — and it is linked to every member in the same transaction that queues it.
 */
import {
  ConfigError,
  ensembleOptionsSchema,
  NotFoundError,
  parseInput,
  parseRunSpec,
  type EnsembleOptionsInput,
  type RunSpec,
} from '@nflab/contracts';
import {
  findEnsembleCandidates,
  insertEnsembleMembers,
  type Db,
  type EnsembleCandidateRow,
} from '@nflab/store';
import { fingerprintOf } from '../plan/fingerprint.js';
import type { RunQueue } from '../queue/index.js';

/** The one value every member has for `field`, or a ConfigError listing who differs. */
const sameFor = <K extends 'table_name' | 'loto' | 'horizon'>(
  members: readonly EnsembleCandidateRow[],
  field: K,
  what: string,
): EnsembleCandidateRow[K] => {
  const values = new Set(members.map((m) => m[field]));
  if (values.size > 1) {
    const listed = members.map((m) => `${m.id.slice(0, 8)}: ${String(m[field])}`).join(', ');
    throw new ConfigError(
      `members: the runs differ in ${what} (${listed}); an ensemble combines runs of one table, game and horizon`,
    );
  }
  return (members[0] as EnsembleCandidateRow)[field];
};

/** The members as stored, in request order; every one must exist, be finished and have forecasts. */
const checkedMembers = async (db: Db, ids: readonly string[]): Promise<EnsembleCandidateRow[]> => {
  const found = new Map((await findEnsembleCandidates(db, ids)).map((run) => [run.id, run]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new NotFoundError(`members: no run ${missing.join(', ')}`);
  const members = ids.map((id) => found.get(id) as EnsembleCandidateRow);
  for (const member of members) {
    if (member.status !== 'finished')
      throw new ConfigError(
        `members: run ${member.id} is ${member.status}; an ensemble combines finished runs`,
      );
    if (member.operation === 'importance')
      throw new ConfigError(
        `members: run ${member.id} is an importance run and holds no forecasts; pick runs that forecast`,
      );
  }
  return members;
};

/** Queues an ensemble of finished runs, linked to them; ConfigError/NotFoundError name the member and the fix. */
export const submitEnsemble = async (
  db: Db,
  queue: RunQueue,
  input: EnsembleOptionsInput,
): Promise<{ runId: string }> => {
  const options = parseInput(ensembleOptionsSchema, input, 'ensemble');
  const ids = options.members.map((id) => id.toLowerCase());
  const members = await checkedMembers(db, ids);
  sameFor(members, 'table_name', 'table');
  sameFor(members, 'loto', 'game');
  sameFor(members, 'horizon', 'horizon h');
  const first = members[0] as EnsembleCandidateRow;
  const shared = first.unique_ids.filter((id) => members.every((m) => m.unique_ids.includes(id)));
  if (shared.length === 0)
    throw new ConfigError('members: the runs forecast no series in common; pick runs of the same series');
  const spec: RunSpec = { ...parseRunSpec(first.spec), unique_ids: shared, cross_validation: null };
  const operation = { kind: 'ensemble' as const, ...options, members: ids };
  const runId = await db.transaction(async (tx) => {
    const [id] = await queue.enqueue([{ spec, fingerprint: fingerprintOf(operation), operation }], { tx });
    await insertEnsembleMembers(tx, id as string, ids);
    return id as string;
  });
  return { runId };
};
