import { describe, expect, it } from 'vitest';
import { buildPanel } from '../src/data/panel.js';
import { AIR_PASSENGERS, airPassengersRows } from './fixtures/air-passengers.js';

describe('AirPassengers fixture', () => {
  it("matches R's datasets::AirPassengers summary", () => {
    expect(AIR_PASSENGERS).toHaveLength(144);
    expect(AIR_PASSENGERS.reduce((a, b) => a + b, 0)).toBe(40363);
    expect(Math.min(...AIR_PASSENGERS)).toBe(104);
    expect(Math.max(...AIR_PASSENGERS)).toBe(622);
  });

  it("builds a gap-free monthly panel from 1949-01-31 to 1960-12-31 with freq 'M'", () => {
    const rows = airPassengersRows();
    expect(rows[0]).toEqual({ unique_id: 'Airline1', ds: '1949-01-31', y: 112 });
    expect(rows[143]).toEqual({ unique_id: 'Airline1', ds: '1960-12-31', y: 432 });
    expect(buildPanel({ data: rows, freq: 'M' }).series[0]!.y.length).toBe(144);
  });
});
