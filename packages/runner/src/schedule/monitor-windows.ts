/** A monitor's windows at check time: the last M draws, and the N draws before them. */
import { ConfigError } from '@nflab/contracts';
import { loadPanel, type DataScope, type MonitorRow, type Queryable } from '@nflab/store';
import type { DriftWindow } from '../analyses/table-drift-windows.js';

/** The draws a monitor compares. */
export interface MonitorWindows {
  readonly reference: DriftWindow;
  readonly current: DriftWindow;
}

type WindowedMonitor = Pick<
  MonitorRow,
  'table_name' | 'loto' | 'unique_ids' | 'current_draws' | 'reference_draws'
>;

/**
 * Counts the table's draw days of the game up to `now` (UTC day, inclusive) and returns the last
 * `current_draws` as the current window and the `reference_draws` before them as the reference.
 * Too few draws is a ConfigError that says how many there are and how many the monitor needs.
 */
export const monitorWindows = async (
  db: Queryable,
  monitor: WindowedMonitor,
  now: Date,
  scope?: DataScope,
): Promise<MonitorWindows> => {
  const panel = await loadPanel(db, {
    table: monitor.table_name,
    loto: monitor.loto,
    ...(monitor.unique_ids === null ? {} : { uniqueIds: monitor.unique_ids }),
    columns: [],
    ...(scope === undefined ? {} : { scope }),
  });
  const today = now.toISOString().slice(0, 10);
  const days = [...new Set(panel.ds.map((ds) => ds.slice(0, 10)))].filter((day) => day <= today).sort();
  const needed = monitor.current_draws + monitor.reference_draws;
  if (days.length < needed)
    throw new ConfigError(
      `${monitor.table_name} holds ${days.length} draws of ${monitor.loto} up to ${today}; the monitor compares ` +
        `the last ${monitor.current_draws} with the ${monitor.reference_draws} before them (${needed} draws)`,
    );
  const current = days.slice(-monitor.current_draws);
  const reference = days.slice(-needed, -monitor.current_draws);
  return {
    reference: { from: reference[0]!, to: reference[reference.length - 1]! },
    current: { from: current[0]!, to: current[current.length - 1]! },
  };
};
