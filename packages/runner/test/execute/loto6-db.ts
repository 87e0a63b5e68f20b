/** A fresh test database holding the real LOTO6 sample (1,498 draws × 7 series), for runner tests. */
import { fileURLToPath } from 'node:url';
import { importFile } from '@nflab/store';
import type { DbKind } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';

export const LOTO6_SAMPLE = fileURLToPath(
  new URL('../../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url),
);

/** Opens a migrated test database of `kind` with the LOTO6 sample in nf_loto_final. */
export const openLoto6Db = async (kind: DbKind): Promise<TestDb> => {
  const db = await openTestDb(kind, { migrate: true });
  await importFile(db, { file: LOTO6_SAMPLE, game: 'loto6' });
  return db;
};
