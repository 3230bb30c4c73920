/**
 * Message-push signing and encryption, exactly as WeChat's WXBizMsgCrypt (spec §5.1): the URL signature,
 * the `msg_signature` over the ciphertext, and AES-256-CBC with the key from the EncodingAESKey, the IV its
 * first 16 bytes, and PKCS#7 padding to 32-byte blocks over `random(16) ‖ length(4, big-endian) ‖ message ‖
 * appid`.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const sha1 = (parts: string[]) =>
  createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');

/** `signature` of a push or of the URL check: sha1 of token, timestamp and nonce, sorted and joined. */
export const pushSignature = (token: string, timestamp: string, nonce: string): string =>
  sha1([token, timestamp, nonce]);

/** `msg_signature` of an encrypted push: as `pushSignature`, with the `Encrypt` text as a fourth part. */
export const pushMessageSignature = (
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
): string => sha1([token, timestamp, nonce, encrypt]);

/** Compares two signatures in constant time (a hex string of any length). */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const BLOCK = 32;

function aesKey(encodingAESKey: string): Buffer {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (key.length !== 32) throw new Error('EncodingAESKey must be 43 characters of base64 (32 bytes)');
  return key;
}

/** The `Encrypt` text for `message` (the JSON or XML of the event) pushed to `appid`. */
export function encryptPush(
  encodingAESKey: string,
  appid: string,
  message: string,
  random = randomBytes(16),
): string {
  const key = aesKey(encodingAESKey);
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, length, body, Buffer.from(appid, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString('base64');
}

/** The message inside an `Encrypt` text and the appid it was encrypted for; throws when it is not one. */
export function decryptPush(encodingAESKey: string, encrypt: string): { message: string; appid: string } {
  const key = aesKey(encodingAESKey);
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new Error('Encrypt is not AES-CBC ciphertext');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK) throw new Error('Encrypt has bad padding');
  const unpadded = plain.subarray(0, plain.length - pad);
  if (unpadded.length < 20) throw new Error('Encrypt is too short');
  const length = unpadded.readUInt32BE(16);
  if (20 + length > unpadded.length) throw new Error('Encrypt has a bad length');
  return {
    message: unpadded.subarray(20, 20 + length).toString('utf8'),
    appid: unpadded.subarray(20 + length).toString('utf8'),
  };
}
