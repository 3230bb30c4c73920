import type { Decision, PushConfig, PushDeliveryStatus, PushEventName } from '@beckon/protocol';

/** An app's message-push configuration; stored only once its URL passed the check (spec §5.1). */
export interface PushConfigRecord extends PushConfig {
  appid: string;
  verifiedAt: number;
  updatedAt: number;
}

/*
 * The facts an outbox row keeps (its `data`); the WeChat shape is rendered from them at dispatch, with the
 * app's original id and the user's openid as they are then.
 */
/** `subscribe_msg_popup_event`: the templates of one answered popup. */
export interface PopupFact {
  templateId: string;
  status: Decision;
}
/** `subscribe_msg_change_event`: templates the user turned off (only rejections are pushed). */
export interface ChangeFact {
  templateId: string;
}
/** `subscribe_msg_sent_event`: one delivered send; `msgid` in decimal (it exceeds 2^53). */
export interface SentFact {
  templateId: string;
  msgid: string;
}

/** One event waiting in (or done with) the app's outbox. */
export interface PushDeliveryRecord {
  /** Assigned by the store, increasing in commit order. */
  id: number;
  appid: string;
  /** Events go out in order per (appid, userId). */
  userId: string;
  /** Set when the writer knew it (sends); otherwise derived from userId when rendered. */
  openid: string | null;
  event: PushEventName;
  /** JSON: PopupFact[], ChangeFact[] or SentFact[] for the subscribe events; an object for call events. */
  data: unknown;
  createdAt: number;
  status: PushDeliveryStatus;
  attempts: number;
  /** When a pending row is due; null once delivered or failed. */
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

/** One event for the outbox (a call event, say); written only when the app has push enabled. */
export interface PushEnqueue {
  appid: string;
  userId: string;
  openid?: string | null;
  event: PushEventName;
  data: unknown;
  at: number;
}

/** The result of one attempt at a claimed row. */
export interface PushAttempt {
  at: number;
  delivered: boolean;
  /** The receiver's HTTP status; null when it never answered. */
  httpStatus: number | null;
  error: string | null;
  /** When to try again; null: give up (status `failed`). Ignored when delivered. */
  retryAt: number | null;
}

export interface PushDeliveryQuery {
  status?: PushDeliveryStatus;
  limit: number;
  /** Only rows with a smaller id (the previous page's last). */
  before?: number;
}

/**
 * Message push: the per-app configuration and the outbox. The consent, send and call transactions write
 * their events into the outbox themselves (same transaction, only while the app has push enabled; calls
 * through CallStore's CallEvents); `enqueue` is for any writer without a transaction of its own.
 */
export interface PushStore {
  getConfig(appid: string): Promise<PushConfigRecord | undefined>;
  /** Enables push for the app, or replaces its configuration. */
  setConfig(config: PushConfigRecord): Promise<void>;
  /**
   * Disables push (one transaction): the configuration is forgotten and the app's pending rows fail with
   * `lastError` "push disabled". False when push was not enabled.
   */
  deleteConfig(appid: string): Promise<boolean>;
  /** Writes one row when the app has push enabled; undefined (nothing written) otherwise. */
  enqueue(event: PushEnqueue): Promise<PushDeliveryRecord | undefined>;
  /**
   * Leases up to `limit` due rows to `owner` until `now + leaseMs`: only the oldest pending row of each
   * (appid, userId), and only if it is due and not leased, so a user's rows go out one at a time in order
   * and two dispatchers never hold the same row.
   */
  claim(owner: string, now: number, leaseMs: number, limit: number): Promise<PushDeliveryRecord[]>;
  /**
   * Records an attempt at a row `owner` leased: delivered, pending again until `retryAt`, or failed. False
   * (nothing recorded) when the lease has been lost to another dispatcher.
   */
  recordAttempt(id: number, owner: string, attempt: PushAttempt): Promise<boolean>;
  /** The app's delivery log, newest first. */
  deliveries(appid: string, query: PushDeliveryQuery): Promise<PushDeliveryRecord[]>;
}
