import { describe, expect, it } from 'vitest';
import { toLiveEvent } from '../../src/api/use-events.js';

describe('live event framing', () => {
  const step = {
    id: 7,
    run_id: 'r',
    trial_id: null,
    step: 3,
    train_loss: 0.5,
    valid_loss: null,
    at: '2026-01-01T00:00:00Z',
  };

  it('reads a bare payload with the SSE event name and id', () => {
    expect(toLiveEvent('step', { data: JSON.stringify(step), lastEventId: '42' })).toEqual({
      id: 42,
      type: 'step',
      at: '2026-01-01T00:00:00Z',
      data: step,
    });
  });

  it('unwraps an { id, type, at, data } envelope', () => {
    const envelope = { id: 42, type: 'step', at: 'x', data: step };
    expect(toLiveEvent('step', { data: JSON.stringify(envelope), lastEventId: '42' }).data).toEqual(step);
  });
});
