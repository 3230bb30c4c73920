import { randomBytes } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_ALPHABET = `${ALNUM}_-`;

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Random characters from `alphabet`, unbiased (rejection sampling). */
export function randomString(length: number, alphabet = ALNUM): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** An access token: long, URL-safe, like WeChat's (digits, letters, `_`, `-`). */
export function newAccessToken(length: number): string {
  return `${randomString(2, '0123456789')}_${randomString(length - 3, TOKEN_ALPHABET)}`;
}

/** A request id in WeChat's `rid` form: `xxxxxxxx-xxxxxxxx-xxxxxxxx`. */
export function newRequestId(): string {
  const hex = randomHex(12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16)}`;
}
