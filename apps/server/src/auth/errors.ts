/** The two auth failures: nobody signed in (401), or signed in without the role (403). */
import { LabError, type UserRole } from '@nflab/contracts';

/** No valid session cookie or bearer token (or bad credentials at login). */
export class UnauthenticatedError extends LabError {
  constructor(
    message = 'sign in first: send the nflab_session cookie from POST /api/auth/login or an "Authorization: Bearer <token>" header',
  ) {
    super('unauthenticated', message);
  }
}

/** Signed in, but the route needs a stronger role. */
export class ForbiddenError extends LabError {
  constructor(required: UserRole, actual: UserRole) {
    super('forbidden', `this needs the ${required} role; you are signed in as ${actual}`);
  }
}
