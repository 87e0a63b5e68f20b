/**
 * The "Open in Grafana" link of a run page: when the lab is told where Grafana is
 * (`NFLAB_GRAFANA_URL`), each run's detail carries the URL of the provisioned training dashboard
 * (deploy/grafana) with that run chosen and the time range of its run.
 */
import { ConfigError } from '@nflab/contracts';

/** The environment variable holding Grafana's address as the lab's users reach it. */
export const GRAFANA_URL_ENV = 'NFLAB_GRAFANA_URL';

/** The uid of the training dashboard in deploy/grafana/dashboards/training.json. */
export const TRAINING_DASHBOARD_UID = 'nflab-training';

/** Margin before a run's start and after its end in the dashboard's time range, in ms. */
const MARGIN_MS = 5 * 60_000;

/**
 * Grafana's base URL from the server option, else `$NFLAB_GRAFANA_URL`, without a trailing slash;
 * undefined (no link) when neither is set or the option is false. Anything but an http(s) URL
 * stops the server from starting.
 */
export const resolveGrafanaUrl = (
  option: string | false | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined => {
  if (option === false) return undefined;
  const value = option ?? env[GRAFANA_URL_ENV];
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new ConfigError(
      `${GRAFANA_URL_ENV}: Grafana's address must be an http(s) URL without a query, such as ` +
        `https://grafana.example.org or http://localhost:3000 (got ${JSON.stringify(value)})`,
    );
  }
  return url.href.replace(/\/+$/, '');
};

/** What {@link runDashboardUrl} needs of a run. */
export interface RunTimes {
  readonly id: string;
  readonly start_time: Date | string | null;
  readonly end_time: Date | string | null;
}

const millis = (time: Date | string | null): number | undefined => {
  if (time === null) return undefined;
  const ms = new Date(time).getTime();
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * The training dashboard with `run` chosen (`var-run_id`), over its run time with a margin: from
 * its start (the last 6 hours while queued) to its end (now while it runs).
 */
export const runDashboardUrl = (grafanaUrl: string, run: RunTimes): string => {
  const start = millis(run.start_time);
  const end = millis(run.end_time);
  const query = new URLSearchParams({
    'var-run_id': run.id,
    from: start === undefined ? 'now-6h' : String(start - MARGIN_MS),
    to: end === undefined ? 'now' : String(end + MARGIN_MS),
  });
  return `${grafanaUrl}/d/${TRAINING_DASHBOARD_UID}/nflab-training?${query.toString()}`;
};
