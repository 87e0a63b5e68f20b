import { describe, expect, it } from 'vitest';
import { rowIsStale, shownRunStatus } from '../../src/runs/shown-status.js';

describe('the status a run page shows', () => {
  it('follows events while the loaded row is active', () => {
    expect(shownRunStatus('queued', undefined)).toBe('queued');
    expect(shownRunStatus('queued', 'running')).toBe('running');
    expect(shownRunStatus('running', 'finished')).toBe('finished');
  });

  it('shows an ended row even when the last event it read was older (the stream closed first)', () => {
    expect(shownRunStatus('finished', 'running')).toBe('finished');
    expect(shownRunStatus('failed', 'running')).toBe('failed');
    expect(shownRunStatus('cancelled', undefined)).toBe('cancelled');
  });

  it('reloads an active row when an event moves it on, and never an ended one', () => {
    expect(rowIsStale('running', 'finished')).toBe(true);
    expect(rowIsStale('queued', 'running')).toBe(true);
    expect(rowIsStale('running', 'running')).toBe(false);
    expect(rowIsStale('running', undefined)).toBe(false);
    expect(rowIsStale('finished', 'running')).toBe(false);
  });
});
