/** Which errors mean "the database connection broke" (retry later) rather than "this query is wrong". */
import { causeChain, errorCodes } from './driver-errors.js';

// Socket errno names node-postgres surfaces when the server is down, restarting or unreachable.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// SQLSTATEs: 57P01 admin_shutdown (pg_terminate_backend, fast shutdown), 57P02 crash_shutdown,
// 57P03 cannot_connect_now (starting up), 53300 too_many_connections (every slot taken for now),
// and class 08 (connection exceptions).
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

// node-postgres raises these as plain Errors without a code.
const MESSAGES = [
  'Connection terminated',
  'terminating connection',
  'Client has encountered a connection error',
  'Connection is closed',
  'timeout exceeded when trying to connect',
  // A database closed for maintenance (ALLOW_CONNECTIONS false) refuses new connections with the
  // broad SQLSTATE 55000, so only its message says so.
  'is not currently accepting connections',
];

/** True when `error` (or its cause, through a StoreError) is a lost or refused database connection. */
export const isConnectionError = (error: unknown): boolean => {
  const broken = (code: string): boolean =>
    SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
  if (errorCodes(error).some(broken)) return true;
  return causeChain(error).some(
    (link) => link instanceof Error && MESSAGES.some((message) => link.message.includes(message)),
  );
};
