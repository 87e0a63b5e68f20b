/**
 * Conformance checks every {@link StudyStorage} must pass (the in-memory one here, PostgreSQL in
 * packages/store). Framework-free: each check throws on failure, so any test runner can loop
 * over {@link STORAGE_CHECKS}.
 */
import type { StudyStorage } from './storage/storage.js';

/** Makes a fresh, empty storage for one check. */
export type StorageFactory = () => Promise<StudyStorage>;

const check = (ok: boolean, message: string): void => {
  if (!ok) throw new Error(`storage conformance: ${message}`);
};

/** Named checks; run each with a fresh storage. */
export const STORAGE_CHECKS: Readonly<Record<string, (make: StorageFactory) => Promise<void>>> = {
  'creates and loads studies by name': async (make) => {
    const s = await make();
    const a = await s.createStudy({
      name: 'a',
      direction: 'maximize',
      space: { x: { kind: 'int', low: 1, high: 3 } },
    });
    check(a.direction === 'maximize' && a.space?.x?.kind === 'int', 'study fields are kept');
    const again = await s.createStudy({ name: 'a', direction: 'minimize', loadIfExists: true });
    check(again.id === a.id && again.direction === 'maximize', 'loadIfExists returns the existing study');
    let threw = false;
    await s.createStudy({ name: 'a', direction: 'minimize' }).catch(() => (threw = true));
    check(threw, 'creating a duplicate name without loadIfExists throws');
    check((await s.getStudy('nope')) === undefined, 'unknown study is undefined');
  },
  'numbers trials densely even when created concurrently': async (make) => {
    const s = await make();
    const st = await s.createStudy({ name: 'n', direction: 'minimize' });
    await Promise.all(Array.from({ length: 20 }, () => s.createTrial(st.id, { state: 'RUNNING' })));
    const numbers = (await s.listTrials(st.id)).map((t) => t.number);
    check(
      JSON.stringify(numbers) === JSON.stringify([...Array(20).keys()]),
      `numbers 0..19 in order, got ${numbers.join(',')}`,
    );
  },
  'round-trips params, intermediate values and attributes as JSON': async (make) => {
    const s = await make();
    const st = await s.createStudy({ name: 'j', direction: 'minimize' });
    const t = await s.createTrial(st.id, { state: 'RUNNING' });
    await s.setTrialParams(t.id, { units: [[64, 64], { a: null }], lr: 0.001, act: 'relu' });
    await s.reportIntermediate(t.id, 0, 1.5);
    await s.reportIntermediate(t.id, 3, 0.5);
    await s.reportIntermediate(t.id, 3, 0.25);
    await s.setTrialUserAttr(t.id, 'note', { k: [1, 2] });
    await s.setTrialSystemAttr(t.id, 'completed_rung_0', 0.5);
    await s.heartbeat(t.id);
    const got = await s.getTrial(t.id);
    check(JSON.stringify(got?.params.units) === '[[64,64],{"a":null}]', 'list-valued params survive');
    check(
      got?.intermediateValues[0] === 1.5 && got.intermediateValues[3] === 0.25,
      'a re-reported step is overwritten',
    );
    check(
      JSON.stringify(got?.userAttrs.note) === '{"k":[1,2]}' && got?.systemAttrs.completed_rung_0 === 0.5,
      'attributes survive',
    );
    check(got?.heartbeatAt !== null, 'heartbeat is recorded');
  },
  'finishes a trial once and refuses later writes': async (make) => {
    const s = await make();
    const st = await s.createStudy({ name: 'f', direction: 'minimize' });
    const t = await s.createTrial(st.id, { state: 'RUNNING' });
    check(
      (await s.finishTrial(t.id, { state: 'FAIL', error: { message: 'boom', stack: 'at x' } })) === true,
      'first finish succeeds',
    );
    check((await s.finishTrial(t.id, { state: 'COMPLETE', value: 1 })) === false, 'second finish is refused');
    const got = await s.getTrial(t.id);
    check(
      got?.state === 'FAIL' && got.error?.stack === 'at x' && got.datetimeComplete !== null,
      'error and completion time are kept',
    );
    let threw = false;
    await s.reportIntermediate(t.id, 0, 1).catch(() => (threw = true));
    check(threw, 'reporting to a finished trial throws');
  },
  'pops WAITING trials oldest first, each once': async (make) => {
    const s = await make();
    const st = await s.createStudy({ name: 'w', direction: 'minimize' });
    await s.createTrial(st.id, { state: 'WAITING', params: { x: 1 } });
    await s.createTrial(st.id, { state: 'WAITING', params: { x: 2 } });
    const popped = await Promise.all([
      s.popWaitingTrial(st.id),
      s.popWaitingTrial(st.id),
      s.popWaitingTrial(st.id),
    ]);
    const xs = popped.map((t) => t?.params.x ?? null).sort();
    check(JSON.stringify(xs) === '[1,2,null]', `each waiting trial popped once, got ${JSON.stringify(xs)}`);
    check(
      popped.every((t) => t === undefined || t.state === 'RUNNING'),
      'popped trials are RUNNING',
    );
  },
  'grants a claim to exactly one claimant': async (make) => {
    const s = await make();
    const st = await s.createStudy({ name: 'c', direction: 'minimize' });
    const t = await s.createTrial(st.id, { state: 'RUNNING' });
    const wins = await Promise.all(Array.from({ length: 8 }, () => s.claim(st.id, 'grid:[1,"a"]', t.id)));
    check(wins.filter(Boolean).length === 1, `one winner, got ${wins.filter(Boolean).length}`);
    check((await s.claim(st.id, 'grid:[2,"a"]', t.id)) === true, 'another key is free');
  },
  'lists trials by state': async (make) => {
    const s = await make();
    const st = await s.createStudy({ name: 'l', direction: 'minimize' });
    const a = await s.createTrial(st.id, { state: 'RUNNING' });
    await s.createTrial(st.id, { state: 'RUNNING' });
    await s.finishTrial(a.id, { state: 'COMPLETE', value: 2 });
    const done = await s.listTrials(st.id, { states: ['COMPLETE'] });
    check(done.length === 1 && done[0]?.value === 2, 'state filter works');
    check((await s.listTrials(st.id)).length === 2, 'all trials listed without a filter');
  },
};
