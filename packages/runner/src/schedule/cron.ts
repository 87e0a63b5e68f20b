/** Cron schedules of monitors, read by croner in UTC (five fields, or six with seconds first). */
import { ConfigError } from '@nflab/contracts';
import { Cron } from 'croner';

/**
 * The first firing of `cron` strictly after `after` (UTC), or null when the schedule never fires
 * again. A text croner cannot read is a ConfigError naming `field` and croner's reason.
 */
export const nextCronRun = (cron: string, after: Date, field = 'cron'): Date | null => {
  let job: Cron;
  try {
    // Paused and without a function, croner starts no timer: it only computes dates.
    job = new Cron(cron, { paused: true, timezone: 'UTC' });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    throw new ConfigError(
      `${field} ${JSON.stringify(cron)} is not a cron schedule (minute hour day month weekday, UTC): ${reason}`,
      { cause: error },
    );
  }
  return job.nextRun(after);
};

/**
 * The shortest gap, in seconds, between the next `firings` firings of `cron` after `after` (Infinity
 * when it fires at most once more): how often a schedule can make the server work. Reads the text
 * as {@link nextCronRun} does, with the same error.
 */
export const shortestCronGapSeconds = (cron: string, after: Date, field = 'cron', firings = 12): number => {
  let at = nextCronRun(cron, after, field);
  let shortest = Infinity;
  for (let i = 1; at !== null && i < firings; i += 1) {
    const next = nextCronRun(cron, at, field);
    if (next !== null) shortest = Math.min(shortest, (next.getTime() - at.getTime()) / 1000);
    at = next;
  }
  return shortest;
};
