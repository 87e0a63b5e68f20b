/** Auth failures: nobody signed in (401), too weak a role (403), a cross-site change (403), too many failed sign-ins (429). */
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

/** A cookie-authenticated change sent from another site (or without saying from where): CSRF defence. */
export class CrossOriginError extends LabError {
  constructor(message: string) {
    super('cross_origin', message);
  }
}

/** Too many failed sign-ins for a username or from an address; answered 429 with Retry-After. */
export class TooManyAttemptsError extends LabError {
  constructor(
    /** Whole seconds until the lockout ends. */
    readonly retryAfterSeconds: number,
  ) {
    super(
      'rate_limited',
      `too many failed sign-ins for this account or from this address; try again in ${retryAfterSeconds} s`,
    );
  }
}
