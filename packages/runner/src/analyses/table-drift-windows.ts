/** The reference and current windows of a drift check, checked before any data is read. */
import { ConfigError } from '@nflab/contracts';

/** Inclusive ISO days `YYYY-MM-DD`. */
export interface DriftWindow {
  readonly from: string;
  readonly to: string;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const requireIsoDay = (value: unknown, field: string): string => {
  const match = typeof value === 'string' ? ISO_DAY.exec(value) : null;
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new ConfigError(`${field} must be an ISO day YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value as string;
};

/** Checks one window: both ends ISO days, from ≤ to; errors name `label.from` / `label.to`. */
export const requireWindow = (window: DriftWindow | undefined, label: string): DriftWindow => {
  if (window === undefined) throw new ConfigError(`${label} window is required ({ from, to })`);
  const from = requireIsoDay(window.from, `${label}.from`);
  const to = requireIsoDay(window.to, `${label}.to`);
  if (from > to) throw new ConfigError(`${label}.from ${from} is after ${label}.to ${to}`);
  return { from, to };
};

/** Checks both windows and that they do not overlap (a row in both would hide the drift it is in). */
export const requireWindows = (
  reference: DriftWindow | undefined,
  current: DriftWindow | undefined,
): { reference: DriftWindow; current: DriftWindow } => {
  const ref = requireWindow(reference, 'reference');
  const cur = requireWindow(current, 'current');
  if (ref.from <= cur.to && cur.from <= ref.to) {
    throw new ConfigError(
      `reference ${ref.from}..${ref.to} and current ${cur.from}..${cur.to} windows overlap; choose disjoint windows`,
    );
  }
  return { reference: ref, current: cur };
};

/** The window a panel day falls in (timestamps compare by their day). */
export const windowOf = (
  ds: string,
  windows: { reference: DriftWindow; current: DriftWindow },
): 'reference' | 'current' | undefined => {
  const day = ds.slice(0, 10);
  if (day >= windows.reference.from && day <= windows.reference.to) return 'reference';
  if (day >= windows.current.from && day <= windows.current.to) return 'current';
  return undefined;
};
