import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { genUserSig, verifyUserSig } from './usersig.js';

// The key and app of Tencent's own generator tests (tls-sig-api-v2-*), signed at a fixed time.
const SDK_APP_ID = 1400000000;
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const NOW = 1767240000; // 2026-01-01T04:00:00Z

/*
 * Produced by Tencent's published generators with the clock pinned to NOW:
 * tencentyun/tls-sig-api-v2-node `new Api(SDK_APP_ID, KEY).genUserSig(user, expire)` (Date.now fixed), and
 * tencentyun/tls-sig-api-v2-python `TLSSigAPIv2(SDK_APP_ID, KEY).genUserSig('xiaojun')` (time.time fixed),
 * whose JSON differs (spaces, key order) and so tests that verification reads fields, not bytes.
 */
const NODE_XIAOJUN_180D =
  'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmpuZG5kgRFMrCjKLQOKmpqZGcNHizHQlK6XM8lCTqJBQiwxtg8SkyHSXvPTAsKRsp8TsIC8z87DsqKpkv9zSwvxk4-BIW6VaAKpiMrM_';
const NODE_ALICE_1D =
  'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwok5mcmpUInilOzEgoLMFCUrQxMDKIDIlGTmpipZGZqbmRuZIERTKwoyi1KVrCzMTGBCxZnpSlZKbnl5hUVuXiaFlcneiRU*niEmWUXplZna*l6GgR4BaRFOkYlewRFRgc5GkbZKtQCakzCp';
const PYTHON_XIAOJUN_180D =
  'eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzM3MjEyT1xZnpIBsyy0NNokJCLTK0DRKTItNd8tIDw5KynRKzg7zMzMOyo6qS-XJLC-OTjcMjbZVqASSlNBM_';

const base = { sdkAppId: SDK_APP_ID, secretKey: KEY };
const fromTlsBase64 = (s: string) => s.replaceAll('*', '+').replaceAll('-', '/').replaceAll('_', '=');
const inflate = (sig: string) =>
  JSON.parse(inflateSync(Buffer.from(fromTlsBase64(sig), 'base64')).toString());
const pack = (doc: object) =>
  deflateSync(Buffer.from(JSON.stringify(doc)))
    .toString('base64')
    .replaceAll('+', '*')
    .replaceAll('/', '-')
    .replaceAll('=', '_');

describe('genUserSig', () => {
  test("equals Tencent's Node generator byte for byte (default 180 days, and 1 day)", () => {
    expect(genUserSig({ ...base, userId: 'xiaojun', now: NOW })).toBe(NODE_XIAOJUN_180D);
    expect(genUserSig({ ...base, userId: 'alice', expireSeconds: 86_400, now: NOW })).toBe(NODE_ALICE_1D);
  });

  test('the document inside: version, fields and the HMAC, in order', () => {
    const doc = inflate(genUserSig({ ...base, userId: 'alice', expireSeconds: 86_400, now: NOW }));
    expect(Object.keys(doc)).toEqual([
      'TLS.ver',
      'TLS.identifier',
      'TLS.sdkappid',
      'TLS.time',
      'TLS.expire',
      'TLS.sig',
    ]);
    expect(doc).toMatchObject({ 'TLS.ver': '2.0', 'TLS.sdkappid': SDK_APP_ID, 'TLS.time': NOW });
    expect(Buffer.from(doc['TLS.sig'], 'base64')).toHaveLength(32);
  });

  test('refuses input that would make an unusable sig', () => {
    expect(() => genUserSig({ ...base, userId: '' })).toThrow(/userId/);
    expect(() => genUserSig({ ...base, sdkAppId: 0, userId: 'a' })).toThrow(/sdkAppId/);
    expect(() => genUserSig({ ...base, secretKey: '', userId: 'a' })).toThrow(/secretKey/);
    expect(() => genUserSig({ ...base, userId: 'a', expireSeconds: 1.5 })).toThrow(/expireSeconds/);
  });
});

describe('verifyUserSig', () => {
  const check = (userSig: string, overrides: Partial<Parameters<typeof verifyUserSig>[0]> = {}) =>
    verifyUserSig({ ...base, userId: 'xiaojun', userSig, now: NOW + 60, ...overrides });

  test("accepts the Node and the Python generators' sigs", () => {
    const expected = { ok: true, userId: 'xiaojun', issuedAt: NOW, expiresAt: NOW + 86_400 * 180 };
    expect(check(NODE_XIAOJUN_180D)).toEqual(expected);
    expect(check(PYTHON_XIAOJUN_180D)).toEqual(expected);
  });

  test('up to and including the last second, then expired', () => {
    expect(check(NODE_ALICE_1D, { userId: 'alice', now: NOW + 86_400 }).ok).toBe(true);
    expect(check(NODE_ALICE_1D, { userId: 'alice', now: NOW + 86_401 })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  test('another app, another user, another key', () => {
    expect(check(NODE_XIAOJUN_180D, { sdkAppId: 1400000001 })).toEqual({
      ok: false,
      reason: 'sdkappid_mismatch',
    });
    expect(check(NODE_XIAOJUN_180D, { userId: 'alice' })).toEqual({
      ok: false,
      reason: 'identifier_mismatch',
    });
    expect(check(NODE_XIAOJUN_180D, { secretKey: `${KEY.slice(0, -1)}f` })).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  test('a field changed after signing (a longer lifetime) fails the HMAC', () => {
    const doc = inflate(NODE_ALICE_1D);
    const forged = pack({ ...doc, 'TLS.expire': 86_400 * 3650 });
    expect(check(forged, { userId: 'alice' })).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  test('a PrivateMapKey (with TLS.userbuf) is not a userSig', () => {
    const doc = inflate(NODE_ALICE_1D);
    expect(check(pack({ ...doc, 'TLS.userbuf': 'AAAA' }), { userId: 'alice' })).toEqual({
      ok: false,
      reason: 'userbuf_not_expected',
    });
  });

  test('garbage is malformed, never a throw', () => {
    const doc = inflate(NODE_ALICE_1D);
    for (const userSig of [
      '',
      'not base64!',
      'eJyrVgrx',
      pack([1, 2]),
      pack({ ...doc, 'TLS.ver': '1.0' }),
      pack({ ...doc, 'TLS.time': '1767240000' }),
      pack({ ...doc, 'TLS.sig': 5 }),
      'A'.repeat(5000),
      pack({ pad: 'x'.repeat(10_000) }),
    ])
      expect(check(userSig, { userId: 'alice' }), userSig.slice(0, 20)).toEqual({
        ok: false,
        reason: 'malformed',
      });
  });
});
