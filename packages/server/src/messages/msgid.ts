import { randomInt } from 'node:crypto';

/**
 * Message ids: 64-bit integers like WeChat's (spec §1.3: `"msgid":3248682510344192008`, above 2^53, so a
 * client that parses them as JS numbers loses digits, as it would against WeChat).
 *
 *   bits 62…22  milliseconds since 2020-01-01 UTC (41 bits: good until 2089)
 *   bits 21…12  this process's node id, random (10 bits), so two nodes rarely mint the same id
 *   bits 11…0   a sequence within the millisecond (12 bits: 4096 ids per ms)
 *
 * Ids increase with time, so the inbox orders by msgid. Within a process they strictly increase: when the
 * clock stands still or steps back the last millisecond is reused, and when its sequence is spent the next
 * millisecond is borrowed (never a wait). A collision across processes (same node id, same ms) is caught by
 * the store's primary key, and the send retries with a fresh id.
 */

const EPOCH_MS = Date.UTC(2020, 0, 1);
const NODE_BITS = 10;
const SEQ_BITS = 12;
const MAX_SEQ = (1 << SEQ_BITS) - 1;
/** The smallest time field that puts every id above 2^53 (2^31 ms after the epoch: late January 2020). */
const MIN_ELAPSED = 2 ** (53 - NODE_BITS - SEQ_BITS) + 1;

export class MsgidGenerator {
  private lastMs = 0;
  private seq = 0;

  constructor(
    readonly node: number = randomInt(1 << NODE_BITS),
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(node) || node < 0 || node >= 1 << NODE_BITS) throw new Error(`bad node id ${node}`);
  }

  next(): bigint {
    // Floored at MIN_ELAPSED so that even a clock set before 2020 mints ids above 2^53.
    let ms = Math.max(this.now() - EPOCH_MS, MIN_ELAPSED, this.lastMs);
    if (ms === this.lastMs) {
      this.seq++;
      if (this.seq > MAX_SEQ) {
        ms++;
        this.seq = 0;
      }
    } else {
      this.seq = 0;
    }
    this.lastMs = ms;
    return (
      (BigInt(ms) << BigInt(NODE_BITS + SEQ_BITS)) |
      (BigInt(this.node) << BigInt(SEQ_BITS)) |
      BigInt(this.seq)
    );
  }
}

const processGenerator = new MsgidGenerator();

/** A fresh msgid from this process's generator. */
export function nextMsgid(): bigint {
  return processGenerator.next();
}
