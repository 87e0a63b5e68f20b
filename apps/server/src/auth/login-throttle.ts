/**
 * Brute-force defence for sign-in, on rate-limiter-flexible: failed attempts are counted per
 * username and per client address; reaching a limit locks that key out, and each further lockout
 * within a day lasts twice as long. A successful sign-in clears its username's count (not its
 * address's, so one valid account cannot reset an address that is guessing at others).
 *
 * Counts live in this server process's memory: they reset on restart, and several server
 * processes behind one proxy each count on their own.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ConfigError } from '@nflab/contracts';

/** Settings of the sign-in throttle (ServerOptions.loginThrottle). */
export interface LoginThrottleOptions {
  /** Failed sign-ins for one username, within `windowSeconds`, before it is locked. @default 5 */
  readonly attemptsPerUsername?: number;
  /** Failed sign-ins from one client address (any usernames), within `windowSeconds`, before it is locked. @default 20 */
  readonly attemptsPerAddress?: number;
  /** How long a failure counts, in seconds. @default 900 */
  readonly windowSeconds?: number;
  /** The first lockout, in seconds; each further one within a day doubles. @default 60 */
  readonly lockoutSeconds?: number;
  /** The longest lockout, in seconds. @default 3600 */
  readonly maxLockoutSeconds?: number;
}

/** The defaults: at most 5 guesses per minute for one username, then 1, 2, 4 … 60 minutes locked. */
export const DEFAULT_LOGIN_THROTTLE: Required<LoginThrottleOptions> = {
  attemptsPerUsername: 5,
  attemptsPerAddress: 20,
  windowSeconds: 900,
  lockoutSeconds: 60,
  maxLockoutSeconds: 3600,
};

/** One sign-in attempt: who it names and where it comes from. */
export interface LoginAttempt {
  readonly username: string;
  readonly address: string;
}

/** A lockout in force: which key is locked and for how many more (whole) seconds. */
export interface Lockout {
  readonly by: 'username' | 'address';
  readonly retryAfterSeconds: number;
}

const LOCKOUT_MEMORY_SECONDS = 24 * 3600;

// One kind of key (username or address): failures, and how many lockouts it has had lately.
class KeyThrottle {
  private readonly failures: RateLimiterMemory;
  private readonly lockouts: RateLimiterMemory;

  constructor(
    readonly by: Lockout['by'],
    private readonly limit: number,
    private readonly settings: Required<LoginThrottleOptions>,
  ) {
    this.failures = new RateLimiterMemory({ keyPrefix: by, points: limit, duration: settings.windowSeconds });
    this.lockouts = new RateLimiterMemory({
      keyPrefix: `${by}-lockouts`,
      points: Number.MAX_SAFE_INTEGER,
      duration: LOCKOUT_MEMORY_SECONDS,
    });
  }

  async lockout(key: string): Promise<Lockout | undefined> {
    const state = await this.failures.get(key);
    // block() leaves more points consumed than the limit allows: that marks a lockout.
    if (state === null || state.consumedPoints <= this.limit || state.msBeforeNext <= 0) return undefined;
    return { by: this.by, retryAfterSeconds: Math.ceil(state.msBeforeNext / 1000) };
  }

  async fail(key: string): Promise<Lockout | undefined> {
    const { consumedPoints } = await this.failures.penalty(key);
    if (consumedPoints < this.limit) return undefined;
    const previous = (await this.lockouts.penalty(key)).consumedPoints - 1;
    const seconds = Math.min(this.settings.lockoutSeconds * 2 ** previous, this.settings.maxLockoutSeconds);
    await this.failures.block(key, seconds);
    return { by: this.by, retryAfterSeconds: seconds };
  }

  async reset(key: string): Promise<void> {
    await this.failures.delete(key);
  }
}

/** The sign-in throttle of one server. */
export class LoginThrottle {
  private readonly byUsername: KeyThrottle;
  private readonly byAddress: KeyThrottle;

  constructor(options: LoginThrottleOptions = {}) {
    const settings = { ...DEFAULT_LOGIN_THROTTLE, ...options };
    for (const [name, value] of Object.entries(settings)) {
      if (!Number.isInteger(value) || value < 1) {
        throw new ConfigError(`loginThrottle.${name} is ${String(value)}; use a whole number ≥ 1`);
      }
    }
    this.byUsername = new KeyThrottle('username', settings.attemptsPerUsername, settings);
    this.byAddress = new KeyThrottle('address', settings.attemptsPerAddress, settings);
  }

  /** The lockout refusing this attempt (the longer one when both keys are locked), or undefined. */
  async lockout({ username, address }: LoginAttempt): Promise<Lockout | undefined> {
    const found = [await this.byUsername.lockout(username), await this.byAddress.lockout(address)];
    return longest(found);
  }

  /** Records a failed attempt; returns the lockout it started, if any. */
  async recordFailure({ username, address }: LoginAttempt): Promise<Lockout | undefined> {
    const started = [await this.byUsername.fail(username), await this.byAddress.fail(address)];
    return longest(started);
  }

  /** Records a successful sign-in: the username's failures are forgotten. */
  async recordSuccess({ username }: LoginAttempt): Promise<void> {
    await this.byUsername.reset(username);
  }
}

const longest = (lockouts: readonly (Lockout | undefined)[]): Lockout | undefined =>
  lockouts.reduce<Lockout | undefined>(
    (best, next) =>
      next !== undefined && (best === undefined || next.retryAfterSeconds > best.retryAfterSeconds)
        ? next
        : best,
    undefined,
  );
