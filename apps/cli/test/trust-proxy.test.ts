import { describe, expect, test } from 'vitest';
import { trustProxySetting } from '../src/trust-proxy.js';

describe('nflab serve --trust-proxy / NFLAB_TRUST_PROXY', () => {
  test('off unless asked; the flag alone or a yes-word trusts any peer', () => {
    expect(trustProxySetting(undefined, undefined)).toBe(false);
    expect(trustProxySetting(true, undefined)).toBe(true);
    expect(trustProxySetting(undefined, 'true')).toBe(true);
    expect(trustProxySetting(undefined, '1')).toBe(true);
    expect(trustProxySetting(undefined, '0')).toBe(false);
    expect(trustProxySetting(undefined, '')).toBe(false);
  });

  test('addresses and CIDRs trust those proxies only; the flag wins over the environment', () => {
    expect(trustProxySetting('127.0.0.1, 10.0.0.0/8', undefined)).toBe('127.0.0.1, 10.0.0.0/8');
    expect(trustProxySetting(undefined, 'loopback')).toBe('loopback');
    expect(trustProxySetting('false', 'true')).toBe(false);
    expect(trustProxySetting(true, 'false')).toBe(true);
  });

  test('anything else is refused, naming where it came from', () => {
    expect(() => trustProxySetting('10.0.0.1; rm -rf', undefined)).toThrow(
      '--trust-proxy is "10.0.0.1; rm -rf"; use true, false, or the proxies\' addresses/CIDRs separated by commas (e.g. 127.0.0.1,10.0.0.0/8)',
    );
    expect(() => trustProxySetting(undefined, 'any proxy')).toThrow(/^NFLAB_TRUST_PROXY is "any proxy"/);
  });
});
