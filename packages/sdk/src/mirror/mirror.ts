import { createHash } from 'node:crypto';
import {
  ApiError,
  Errors,
  firstInvalidKeyword,
  isSubscribeEventName,
  type SubscribeEvent,
  TEMPLATE_TYPES,
} from '@beckon/protocol';
import type { SendInput, WeChatClient } from '../client.js';
import { WeChatError } from '../errors.js';
import type { LedgerStore } from './store.js';
import { type TemplateRules, templateRules } from './template-rules.js';

/** The part of the SDK client the mirror uses: `createClient(...)` fits. */
export interface MirrorClient {
  subscribe: Pick<WeChatClient['subscribe'], 'send'>;
  templates: Pick<WeChatClient['templates'], 'list'>;
}

export interface LedgerMirrorOptions {
  client: MirrorClient;
  store: LedgerStore;
  /** How long the app's template list is trusted before it is fetched again. Default 5 minutes. */
  templateCacheMs?: number;
  /**
   * How long a pushed event (or a spent msgid) is remembered, so a redelivery is not applied again. Must
   * outlast the platform's retries. Default 3 days.
   */
  seenTtlMs?: number;
  /**
   * How long an accept reported by one side (client report or popup event) waits for the other side's
   * report of the same accept, which it then absorbs. Default 1 day.
   */
  pairTtlMs?: number;
}

/** What `wx.requestSubscribeMessage` resolved with on the mini program, as the client posted it. */
export type SubscribeResultReport = { errMsg?: string } & Record<string, unknown>;

/**
 * The count of a long-term template the user accepted: it sends until turned off.
 *
 * @example
 *   if ((await mirror.count(openid, visitTmpl)) === LONG_TERM_ACTIVE) showFollowUpHint();
 */
export const LONG_TERM_ACTIVE = Number.POSITIVE_INFINITY;

/**
 * What `applyEvent` did: `applied`; `duplicate` (a redelivery, already applied); `stale` (a change event
 * older than a later accept of every template it names: nothing reset); `ignored` (not the mirror's event).
 */
export type EventOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored';

/** What `reportAccepted` did with the ids the client posted. */
export interface ReportOutcome {
  /** Accepted templates of the app: counted (one-time) or made active (long-term). */
  accepted: string[];
  /** Ids that are not templates of the app (stale, mistyped or forged by the client): not counted. */
  ignored: string[];
}

export interface LedgerMirror {
  /**
   * The mini program reports its `wx.requestSubscribeMessage` result: +1 per accepted one-time template
   * (`accept` and the `acceptWith…` variants), a long-term template becomes active. `reject`, `ban` and
   * `filter` change nothing (a popup reject takes no earlier grant away, on WeChat and on Beckon). The
   * report comes from the client, so only the app's own templates count (the list is fetched again at most
   * once per report, for a template added meanwhile); any other id is returned as `ignored`.
   *
   * @example
   *   // POST /subscriptions/report {openid, result}
   *   const { ignored } = await mirror.reportAccepted(openid, { errMsg: 'requestSubscribeMessage:ok', [tmplId]: 'accept' });
   */
  reportAccepted(openid: string, result: SubscribeResultReport): Promise<ReportOutcome>;
  /**
   * The mini program found the main switch off (`'all'`) or templates refused in `wx.getSetting`: their
   * counts go to zero.
   *
   * @example
   *   await mirror.reportRefused(openid, setting.mainSwitch ? refusedIds : 'all');
   */
  reportRefused(openid: string, templateIds: string[] | 'all'): Promise<void>;
  /**
   * Applies a pushed event (from `receiver.handler`): popup accept +1 (paired with the client's report of
   * the same accept), change (reject) → 0 unless an accept came after it (`'stale'`), sent → confirms the
   * spend of that msgid. A redelivered event changes nothing (`'duplicate'`); call events and unknown events
   * are `'ignored'`. An event is recorded as applied only once applying succeeded: when this throws, answer
   * the push with an error, and its redelivery is applied (each accept in it at most once). A change's
   * CreateTime is the platform's clock and a client report's time is this server's, so keep this server's
   * clock synced: a skew of s seconds misjudges only changes made within s seconds of an accept.
   *
   * @example
   *   http.createServer(receiver.handler((event) => mirror.applyEvent(event)));
   */
  applyEvent(event: { Event: string }): Promise<EventOutcome>;
  /**
   * Sends left for (openid, template): a one-time count, or `Infinity` for an active long-term template.
   *
   * @example
   *   if ((await mirror.count(openid, shippedTmpl)) > 0) showShippedHint();
   */
  count(openid: string, templateId: string): Promise<number>;
  /**
   * `subscribe.send` guarded by the ledger: the data is checked with the platform's keyword rules (47003
   * locally, no call), a user without a send left is refused locally (43101, no call), and one send is
   * spent only when the platform accepted the message. A 43101 from the platform sets the count to 0.
   *
   * @example
   *   const msgid = await mirror.sendWithQuota({ touser: openid, template_id: shippedTmpl, data });
   */
  sendWithQuota(request: SendInput): Promise<bigint>;
  /**
   * The checks `sendWithQuota` makes before sending, alone: throws `WeChatError` 40037 (not one of the app's
   * templates) or 47003 (the first keyword the platform would refuse). Useful before scheduling a send.
   *
   * @example
   *   await mirror.checkData(reminderTmpl, { thing1: { value: '理发' }, time2: { value: '2025-05-01 15:00' } });
   */
  checkData(templateId: string, data: SendInput['data']): Promise<void>;
  /**
   * Fetches the app's template list now instead of when the cache expires (e.g. after adding or deleting a
   * template), so sends and reports see the change at once.
   *
   * @example
   *   const tmplId = await client.templates.add({ tid: 1101, kidList: [1, 2, 3, 4, 5], sceneDesc: '发货通知' });
   *   await mirror.refreshTemplates();
   */
  refreshTemplates(): Promise<void>;
}

const isAccept = (status: unknown) =>
  typeof status === 'string' && (status === 'accept' || status.startsWith('acceptWith'));

const nowSeconds = () => Math.floor(Date.now() / 1000);

const isSubscribeEvent = (event: { Event: string }): event is SubscribeEvent =>
  isSubscribeEventName(event.Event);

/**
 * An event's identity for at-least-once delivery: the platform renders a redelivery from the same record,
 * so the same user, event, time and list. (Two identical popups of one user within one second would count
 * once: the events carry nothing that tells them apart.)
 */
function eventId(event: SubscribeEvent): string {
  const key = JSON.stringify([
    event.Event,
    event.FromUserName,
    event.ToUserName,
    event.CreateTime,
    event.List,
  ]);
  return createHash('sha256').update(key).digest('base64url');
}

/**
 * The developer's server's copy of the consent ledger (seed 001's recommended solution): a count per
 * (openid, template), fed by the mini program's reports and the platform's pushed events, and spent by
 * `sendWithQuota`.
 *
 * @example
 *   const client = createClient({ appId, appSecret, baseUrl });
 *   const mirror = createLedgerMirror({ client, store: new MemoryLedgerStore() });
 *   await mirror.reportAccepted(openid, result);
 *   await mirror.sendWithQuota({ touser: openid, template_id: tmplId, data });
 */
export function createLedgerMirror(options: LedgerMirrorOptions): LedgerMirror {
  const { client, store } = options;
  const templateCacheMs = options.templateCacheMs ?? 5 * 60_000;
  const seenTtlMs = options.seenTtlMs ?? 3 * 24 * 3_600_000;
  const pairTtlMs = options.pairTtlMs ?? 24 * 3_600_000;

  let cache: { at: number; rules: Map<string, TemplateRules> } | undefined;
  let loading: Promise<Map<string, TemplateRules>> | undefined;

  /** The app's templates; one fetch in flight at a time. */
  function templates(fresh = false): Promise<Map<string, TemplateRules>> {
    if (!fresh && cache && Date.now() - cache.at < templateCacheMs) return Promise.resolve(cache.rules);
    loading ??= client.templates
      .list()
      .then((views) => {
        const rules = new Map(views.map((v) => [v.priTmplId, templateRules(v)]));
        cache = { at: Date.now(), rules };
        return rules;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  /**
   * The rules of `ids`; when one is unknown to the cached list, the list is fetched once more (the template
   * may be new). Ids unknown after that are missing from the map.
   */
  async function rulesOf(ids: readonly string[]): Promise<Map<string, TemplateRules>> {
    const cached = await templates();
    return ids.every((id) => cached.has(id)) ? cached : templates(true);
  }

  /** 40037 for a template the app does not have, 47003 for the first keyword the platform would refuse. */
  async function checkData(templateId: string, data: SendInput['data']): Promise<void> {
    const rules = (await rulesOf([templateId])).get(templateId);
    if (!rules) throw new WeChatError(Errors.INVALID_TEMPLATE_ID.code, Errors.INVALID_TEMPLATE_ID.message);
    const bad = firstInvalidKeyword(rules.keywords, data);
    if (bad)
      throw new WeChatError(
        Errors.ARGUMENT_INVALID.code,
        ApiError.argumentInvalid(bad.key, bad.problem).message,
      );
  }

  const isLongTerm = (rules: Map<string, TemplateRules>, templateId: string) =>
    rules.get(templateId)?.type === TEMPLATE_TYPES.longTerm;

  return {
    async reportAccepted(openid, result) {
      const ids = Object.keys(result).filter((id) => id !== 'errMsg');
      const rules = await rulesOf(ids);
      const outcome: ReportOutcome = { accepted: [], ignored: [] };
      const at = nowSeconds();
      for (const id of ids) {
        if (!rules.has(id)) outcome.ignored.push(id);
        else if (isAccept(result[id])) {
          if (isLongTerm(rules, id)) await store.setActive(openid, id, true, at);
          else await store.accept(openid, id, 'client', pairTtlMs, { at });
          outcome.accepted.push(id);
        }
      }
      return outcome;
    },

    async reportRefused(openid, templateIds) {
      const ids = templateIds === 'all' ? [...(await templates()).keys()] : templateIds;
      for (const id of ids) await store.reset(openid, id);
    },

    async applyEvent(event) {
      if (!isSubscribeEvent(event)) return 'ignored';
      const openid = event.FromUserName;
      if (event.Event === 'subscribe_msg_sent_event') {
        // Identified by msgid: the send's own answer and its event spend once between them. A non-zero
        // ErrorCode is a delivery that failed after the send: nothing to confirm.
        const delivered = event.List.filter((item) => String(item.ErrorCode) === '0');
        if (delivered.length === 0) return 'ignored';
        let applied = false;
        for (const item of delivered) {
          if (await store.spend(openid, item.TemplateId, String(item.MsgID), seenTtlMs)) applied = true;
        }
        return applied ? 'applied' : 'duplicate';
      }
      // Marked seen only after it was applied: a failure (the template list or the store unreachable) is
      // answered with an error, and the redelivery applies it. Each accept is applied once per event item
      // (in the store's atomic step), so a redelivery after a partial failure counts nothing twice.
      const id = eventId(event);
      if (await store.seen(id)) return 'duplicate';
      const at = event.CreateTime;
      let outcome: EventOutcome = 'applied';
      if (event.Event === 'subscribe_msg_popup_event') {
        const accepts = event.List.filter((item) => item.SubscribeStatusString === 'accept');
        // The platform signed it: a template missing from the list (deleted meanwhile) still counts, as
        // one-time, which is what most templates are.
        const rules = accepts.length > 0 ? await rulesOf(accepts.map((item) => item.TemplateId)) : new Map();
        for (const [index, item] of event.List.entries()) {
          if (item.SubscribeStatusString !== 'accept') continue;
          if (isLongTerm(rules, item.TemplateId)) await store.setActive(openid, item.TemplateId, true, at);
          else
            await store.accept(openid, item.TemplateId, 'event', pairTtlMs, {
              at,
              once: { id: `${id}:${index}`, ttlMs: seenTtlMs },
            });
        }
      } else {
        // Only rejections are pushed as changes (spec §5.3): the template was turned off, unless the user
        // accepted it again after this event was made (a late push must not undo that accept).
        let reset = false;
        for (const item of event.List) if (await store.reset(openid, item.TemplateId, at)) reset = true;
        if (!reset && event.List.length > 0) outcome = 'stale';
      }
      return (await store.markSeen(id, seenTtlMs)) ? outcome : 'duplicate';
    },

    async count(openid, templateId) {
      const e = await store.get(openid, templateId);
      return e.active ? LONG_TERM_ACTIVE : e.count;
    },

    async sendWithQuota(request) {
      await checkData(request.template_id, request.data);
      const { touser: openid, template_id: templateId } = request;
      const reservation = await store.reserve(openid, templateId);
      const generation = reservation?.kind === 'one-time' ? reservation.generation : undefined;
      if (reservation === null) {
        throw new WeChatError(
          Errors.USER_REFUSED.code,
          `${Errors.USER_REFUSED.message} (no send left in the ledger mirror)`,
        );
      }
      let msgid: bigint;
      try {
        msgid = await client.subscribe.send(request);
      } catch (err) {
        // 43101: the platform has no grant: trust it. Anything else spent nothing on the platform as far as
        // we know; if it did (an answer lost on the way), its sent event spends it.
        if (err instanceof WeChatError && err.errcode === Errors.USER_REFUSED.code) {
          await store.reset(openid, templateId);
        } else if (generation !== undefined) {
          await store.release(openid, templateId, generation);
        }
        throw err;
      }
      if (generation !== undefined)
        await store.spend(openid, templateId, msgid.toString(), seenTtlMs, generation);
      return msgid;
    },

    checkData,

    async refreshTemplates() {
      await templates(true);
    },
  };
}
