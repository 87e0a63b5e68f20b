/**
 * The one way the UI talks to the server: `fetch` with the session cookie, JSON in and out, and
 * every failure turned into an {@link ApiError} carrying the server's code, message and issues.
 */
import type { InputIssue } from './types.js';

/** An error answer of the API (or a network failure, code 'network'). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly InputIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True for the answer a signed-out browser gets. */
export const isUnauthenticated = (error: unknown): boolean =>
  error instanceof ApiError && error.status === 401;

/** Called on every 401 so the app can show the login page; set by the auth provider. */
let onUnauthenticated: (() => void) | undefined;

/** Registers what happens when the session has expired. */
export const setUnauthenticatedHandler = (handler: (() => void) | undefined): void => {
  onUnauthenticated = handler;
};

const errorFrom = async (response: Response): Promise<ApiError> => {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; issues?: InputIssue[] } };
    if (body.error?.message !== undefined) {
      return new ApiError(
        response.status,
        body.error.code ?? 'unknown',
        body.error.message,
        body.error.issues,
      );
    }
  } catch {
    // Not JSON (a proxy error page): fall through to the status line.
  }
  return new ApiError(response.status, 'http', `${response.status} ${response.statusText}`.trim());
};

/** Query-string values; undefined and empty strings are left out. */
export type QueryValues = Readonly<Record<string, string | number | boolean | undefined | null>>;

/** `/api/path?query` with empty values dropped. */
export const apiUrl = (path: string, query: QueryValues = {}): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return `/api${path}${search === '' ? '' : `?${search}`}`;
};

interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly query?: QueryValues;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/** Sends one request; resolves with the parsed JSON (undefined for 204), rejects with ApiError. */
export const request = async <T>(path: string, options: RequestOptions = {}): Promise<T> => {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && !path.startsWith('/auth/login')) onUnauthenticated?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
};
