/** The JSON POST a monitor's alert sends to its webhook. */
import type { MonitorRow } from '@nflab/store';
import type { MonitorExecution } from './run-monitor.js';

/** How a webhook delivery ended: the HTTP status, or why there was none. */
export type WebhookResult =
  { readonly ok: true; readonly status: number } | { readonly ok: false; readonly error: string };

/**
 * POSTs `body` as JSON to `url`, giving up after `timeoutMs`. Never throws: a receiver that is
 * down, slow or answers non-2xx is a result with the reason, for the caller to log.
 * @default timeoutMs 5000
 */
export const postWebhook = async (url: string, body: unknown, timeoutMs = 5000): Promise<WebhookResult> => {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'nflab-monitor' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok
      ? { ok: true, status: response.status }
      : { ok: false, error: `webhook ${url} answered HTTP ${response.status}` };
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : String(error instanceof Error ? error.message : error);
    return { ok: false, error: `webhook ${url} failed: ${reason}` };
  }
};

/** The JSON a webhook receives for an alert. */
const alertBody = (monitor: MonitorRow, execution: MonitorExecution): Record<string, unknown> => ({
  type: 'monitor-alert',
  monitor: monitor.name,
  monitor_id: monitor.id,
  monitor_run_id: execution.run.id,
  table_name: monitor.table_name,
  loto: monitor.loto,
  check_id: execution.run.check_id,
  drifted: execution.run.drifted,
  refit_run_id: execution.run.refit_run_id,
  error: execution.run.error,
  at: (execution.run.finished_at ?? execution.run.started_at).toISOString(),
});

/**
 * Delivers an execution's alert to its monitor's webhook, whoever ran it (the scheduler, or a
 * user's run now from the API or the CLI), so every alert reaches the receiver the same way.
 * Resolves to undefined when there is nothing to send (no alert, or no webhook configured).
 * @default timeoutMs 5000
 */
export const sendAlertWebhook = async (
  monitor: MonitorRow,
  execution: MonitorExecution,
  timeoutMs?: number,
): Promise<WebhookResult | undefined> => {
  if (execution.run.status !== 'alert' || monitor.webhook_url === null) return undefined;
  return postWebhook(monitor.webhook_url, alertBody(monitor, execution), timeoutMs);
};
