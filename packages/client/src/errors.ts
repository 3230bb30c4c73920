/** What the SDK's methods reject with, and what ERROR `{code, msg}` carries. */
export class CallingError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CallingError';
  }

  /** The ERROR event's payload (TRTCCalling's shape). */
  get payload(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}
