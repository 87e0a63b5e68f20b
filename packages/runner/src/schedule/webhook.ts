/** The JSON POST a monitor's alert sends to its webhook. */

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
