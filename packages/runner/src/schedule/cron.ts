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
