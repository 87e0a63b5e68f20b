import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditEntryDto, insertAuditEntry, listAuditEntries } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

describe.each(await testDbKinds())('audit log repository on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
  });
  afterAll(async () => {
    await db?.close();
  });

  test('an entry is stored with its address, outcome and details, and read back newest first', async () => {
    const first = await insertAuditEntry(db, {
      actor: 'alice',
      action: 'auth.login',
      entity: 'user',
      clientAddress: '10.0.0.7',
      outcome: 'failure',
      details: { reason: 'wrong password' },
    });
    expect(first).toMatchObject({
      actor: 'alice',
      outcome: 'failure',
      client_address: '10.0.0.7',
      entity_id: null,
    });
    await db.query(`UPDATE nf_audit_log SET at = '2026-01-01T00:00:00Z' WHERE id = $1`, [first.id]);
    await insertAuditEntry(db, { actor: 'bob', action: 'run.start', entity: 'run', entityId: 'r1' });
    await insertAuditEntry(db, { actor: 'alice', action: 'run.cancel', entity: 'run', entityId: 'r1' });

    const all = await listAuditEntries(db, { limit: 10 });
    expect(all.map((row) => row.action)).toEqual(['run.cancel', 'run.start', 'auth.login']);
    expect(all[1]).toMatchObject({ outcome: 'success', client_address: null, details: {} });
    expect((await listAuditEntries(db, { actor: 'alice', limit: 10 })).map((r) => r.action)).toEqual([
      'run.cancel',
      'auth.login',
    ]);
    expect((await listAuditEntries(db, { action: 'run.start', limit: 10 })).map((r) => r.actor)).toEqual([
      'bob',
    ]);
    expect(await listAuditEntries(db, { since: new Date('2026-06-01T00:00:00Z'), limit: 10 })).toHaveLength(
      2,
    );
    expect(await listAuditEntries(db, { limit: 1 })).toHaveLength(1);
    expect(auditEntryDto(all[2]!)).toMatchObject({
      at: '2026-01-01T00:00:00.000Z',
      details: { reason: 'wrong password' },
    });
  });

  test('an outcome outside the vocabulary is refused by the CHECK constraint', async () => {
    await expect(
      db.query(`INSERT INTO nf_audit_log (actor, action, entity, outcome) VALUES ('a', 'x', 'y', 'maybe')`),
    ).rejects.toThrow(/check/i);
  });
});
