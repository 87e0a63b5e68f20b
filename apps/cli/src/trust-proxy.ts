/** `nflab serve --trust-proxy [proxies]` and NFLAB_TRUST_PROXY: which reverse proxies the server believes. */
import { ConfigError } from '@nflab/contracts';

const YES = new Set(['1', 'true', 'yes', 'on']);
const NO = new Set(['', '0', 'false', 'no', 'off']);
// proxy-addr's addresses, CIDRs and names (loopback, linklocal, uniquelocal), comma-separated.
const PROXY_LIST = /^[\w.:/]+(\s*,\s*[\w.:/]+)*$/;

/**
 * The server's `trustProxy` setting: the flag wins over the environment; the flag alone (or
 * `true`/`1`) trusts any peer, a comma-separated address/CIDR list trusts those proxies only.
 */
export const trustProxySetting = (
  flag: boolean | string | undefined,
  env: string | undefined = process.env.NFLAB_TRUST_PROXY,
): boolean | string => {
  const given = flag ?? env;
  if (given === undefined || given === false) return false;
  if (given === true) return true;
  const value = given.trim().toLowerCase();
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  if (PROXY_LIST.test(value)) return value;
  const source = flag === undefined ? 'NFLAB_TRUST_PROXY' : '--trust-proxy';
  throw new ConfigError(
    `${source} is ${JSON.stringify(given)}; use true, false, or the proxies' addresses/CIDRs separated by commas (e.g. 127.0.0.1,10.0.0.0/8)`,
  );
};
