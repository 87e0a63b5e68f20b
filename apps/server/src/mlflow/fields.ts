/**
 * Reading MLflow request messages: a GET carries its fields in the query string (repeated fields
 * as repeated keys), a POST in a JSON body; int64 fields may be JSON numbers or decimal strings
 * (proto3 JSON). Refusals are MLflow's INVALID_PARAMETER_VALUE messages, naming the field.
 */
import type { FastifyRequest } from 'fastify';
import { invalidParameter, type MlflowKeyValue, type MlflowMetric } from '@nflab/store';

/** One MLflow request message as sent. */
export type MlflowMessage = Readonly<Record<string, unknown>>;

/** The request's message: its JSON body, else its query string. */
export const messageOf = (request: FastifyRequest): MlflowMessage => {
  const body = request.body;
  if (
    body !== undefined &&
    body !== null &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    !Buffer.isBuffer(body)
  )
    return body as MlflowMessage;
  if (body !== undefined && body !== null && request.method !== 'GET')
    throw invalidParameter('the request body must be a JSON object');
  return (request.query ?? {}) as MlflowMessage;
};

const missing = (name: string): Error =>
  invalidParameter(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );

const invalid = (name: string, value: unknown, expected: string): Error =>
  invalidParameter(`Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: ${expected}.`);

/** A string field, or undefined when absent. */
export const optionalString = (message: MlflowMessage, name: string): string | undefined => {
  const value = message[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(name, value, 'expected a string');
  return value;
};

/** A required string field (an empty string counts as missing, as in MLflow). */
export const requiredString = (message: MlflowMessage, name: string): string => {
  const value = optionalString(message, name);
  if (value === undefined || value === '') throw missing(name);
  return value;
};

/** The run a request names: `run_id`, or the older `run_uuid`. */
export const runIdOf = (message: MlflowMessage): string => {
  const id = optionalString(message, 'run_id') ?? optionalString(message, 'run_uuid');
  if (id === undefined || id === '') throw missing('run_id');
  return id;
};

/** An int64 field (a JSON integer or a decimal string), or undefined when absent. */
export const optionalInt = (message: MlflowMessage, name: string): number | undefined => {
  const value = message[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number))
    throw invalid(name, value, 'expected an integer');
  return number;
};

/** A required int64 field. */
export const requiredInt = (message: MlflowMessage, name: string): number => {
  const value = optionalInt(message, name);
  if (value === undefined) throw missing(name);
  return value;
};

const SPECIAL_DOUBLES: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** A required double field: a JSON number, or proto3 JSON's "NaN", "Infinity", "-Infinity". */
export const requiredDouble = (message: MlflowMessage, name: string): number => {
  const value = message[name];
  if (value === undefined || value === null) throw missing(name);
  const number = typeof value === 'string' ? SPECIAL_DOUBLES[value] : value;
  if (typeof number !== 'number') throw invalid(name, value, 'expected a number');
  return number;
};

/** A repeated string field (a JSON array; a query string may repeat the key). */
export const stringList = (message: MlflowMessage, name: string): string[] => {
  const value = message[name];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined;
  if (list === undefined || !list.every((item) => typeof item === 'string'))
    throw invalid(name, value, 'expected a list of strings');
  return list as string[];
};

const objectList = (message: MlflowMessage, name: string): MlflowMessage[] => {
  const value = message[name];
  if (value === undefined || value === null) return [];
  if (
    !Array.isArray(value) ||
    !value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))
  )
    throw invalid(name, value, 'expected a list of objects');
  return value as MlflowMessage[];
};

/** A repeated `{ key, value }` field (params, tags). */
export const keyValueList = (message: MlflowMessage, name: string): MlflowKeyValue[] =>
  objectList(message, name).map((item) => ({
    key: requiredString(item, 'key'),
    value: optionalString(item, 'value') ?? '',
  }));

/** One metric point of a log-metric or log-batch message; time defaults to now and step to 0. */
export const metricOf = (message: MlflowMessage): MlflowMetric => ({
  key: requiredString(message, 'key'),
  value: requiredDouble(message, 'value'),
  timestamp: optionalInt(message, 'timestamp') ?? Date.now(),
  step: optionalInt(message, 'step') ?? 0,
});

/** The points of a log-batch metrics field (or one log-metric message) that name a logged model. */
export const modelMetricsOf = (items: readonly MlflowMessage[]): (MlflowMetric & { modelId: string })[] =>
  items.flatMap((item) => {
    const modelId = optionalString(item, 'model_id');
    return modelId === undefined || modelId === '' ? [] : [{ ...metricOf(item), modelId }];
  });

/** The repeated objects of a message field (log-batch's metrics). */
export const messageList = (message: MlflowMessage, name: string): MlflowMessage[] =>
  objectList(message, name);

/** The repeated metrics field of a log-batch message. */
export const metricList = (message: MlflowMessage, name: string): MlflowMetric[] =>
  objectList(message, name).map(metricOf);

/** A page size: at most `cap` (MLflow's own cap for the call), at least 1. */
export const maxResultsOf = (message: MlflowMessage, fallback: number, cap: number): number => {
  const value = optionalInt(message, 'max_results') ?? fallback;
  if (value < 1 || value > cap)
    throw invalidParameter(
      `Invalid value ${value} for parameter 'max_results' supplied. It must be at most ${cap} and at least 1.`,
    );
  return value;
};

/** The offset a page token carries (the lab's tokens are base64 JSON `{ "offset": n }`). */
export const offsetOf = (message: MlflowMessage): number => {
  const token = optionalString(message, 'page_token');
  if (token === undefined || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0)
      return parsed.offset;
  } catch {
    // Falls through to the refusal below: any unreadable token is the same mistake.
  }
  throw invalidParameter(
    `Invalid page token ${JSON.stringify(token)}: pass the next_page_token of the previous page.`,
  );
};

/** The page token of the page starting at `offset`, or nothing when there is no next page. */
export const nextPageToken = (offset: number | undefined): { next_page_token?: string } =>
  offset === undefined ? {} : { next_page_token: Buffer.from(JSON.stringify({ offset })).toString('base64') };

/** A view type field; MLflow's default is ACTIVE_ONLY. */
export const viewTypeOf = (message: MlflowMessage, name: string): 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL' => {
  const value = optionalString(message, name) ?? 'ACTIVE_ONLY';
  if (value !== 'ACTIVE_ONLY' && value !== 'DELETED_ONLY' && value !== 'ALL')
    throw invalid(name, value, 'expected ACTIVE_ONLY, DELETED_ONLY or ALL');
  return value;
};
