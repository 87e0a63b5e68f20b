/** Test helper: a lab server and an MLflow-style client of it (bearer = a lab API token). */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { UserRole } from '@nflab/contracts';
import type { Queryable } from '@nflab/store';
import { createApiToken } from '../src/auth/api-tokens.js';
import { signIn } from './sign-in.js';

/** One request as an MLflow client sends it. */
export interface MlflowRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path and query string, e.g. `/api/2.0/mlflow/runs/get?run_id=…`. */
  readonly url: string;
  readonly json?: unknown;
  readonly body?: Buffer;
  readonly contentType?: string;
}

/** Sends MLflow requests as a user of `role`, with a lab API token as MLFLOW_TRACKING_TOKEN. */
export type MlflowCall = (request: MlflowRequest) => Promise<LightMyRequestResponse>;

/** A caller with a fresh user of `role` and an API token of theirs (undefined role: no token). */
export const mlflowCaller = async (
  app: FastifyInstance,
  db: Queryable,
  role: UserRole | undefined,
): Promise<MlflowCall> => {
  const token =
    role === undefined
      ? undefined
      : (await createApiToken(db, { userId: (await signIn(db, role)).userId, name: 'mlflow' })).token;
  return (request) =>
    app.inject({
      method: request.method,
      url: request.url,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(request.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(request.contentType !== undefined ? { 'content-type': request.contentType } : {}),
      },
      ...(request.json !== undefined ? { payload: JSON.stringify(request.json) } : {}),
      ...(request.body !== undefined ? { payload: request.body } : {}),
    });
};
