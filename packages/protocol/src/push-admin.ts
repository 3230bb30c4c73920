import type { PushEventName, PushFormat, PushMode } from './push.js';

/**
 * The admin API's view of message push (`/admin/apps/:appid/push…`, `beckon app push`): an app's
 * configuration and its delivery log.
 */

/** `GET|PUT /admin/apps/:appid/push`. `enabled: false` (and nothing else) when push is off. */
export type PushConfigView =
  | { appid: string; enabled: false }
  | {
      appid: string;
      enabled: true;
      url: string;
      token: string;
      /**
       * The EncodingAESKey is never shown again once set (it decrypts every push): only its last 4
       * characters, to tell which key is in use; null when none is set.
       */
      encodingAESKeyTail: string | null;
      format: PushFormat;
      mode: PushMode;
      /** When the URL last passed the check (spec §5.1), ISO 8601. */
      verifiedAt: string;
    };

export const PUSH_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
/** pending: waiting for its (next) attempt; delivered: accepted; failed: given up (or push switched off). */
export type PushDeliveryStatus = (typeof PUSH_DELIVERY_STATUSES)[number];

/** One event of the outbox, `GET /admin/apps/:appid/push/deliveries`, newest first. */
export interface PushDeliveryView {
  /** Increasing; pass the last one as `before` for the next page. */
  id: number;
  event: PushEventName;
  openid: string;
  status: PushDeliveryStatus;
  attempts: number;
  /** The receiver's last HTTP status; null when it never answered. */
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** When a pending event is tried next; null once delivered or failed. */
  nextAttemptAt: string | null;
}
