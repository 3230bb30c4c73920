export const PUSH_ERROR_REASONS = [
  /** signature or msg_signature missing or wrong: not from the platform, or the wrong Token. */
  'signature',
  /** Decrypted fine but for another appid. */
  'appid',
  /** Not parseable, not decryptable, or a field missing. */
  'body',
  /** An encrypted push, but the receiver has no EncodingAESKey. */
  'config',
  /** A genuine push of a kind this receiver does not handle (acknowledged and ignored by `handler`). */
  'unsupported',
] as const;
export type PushErrorReason = (typeof PUSH_ERROR_REASONS)[number];

/** Why a push (or the URL check) was refused. `message` is short and safe to send back as the answer. */
export class PushError extends Error {
  constructor(
    readonly reason: PushErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'PushError';
  }
}
