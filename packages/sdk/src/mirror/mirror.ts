import { createHash } from 'node:crypto';
import { Errors, SUBSCRIBE_EVENTS, type SubscribeEvent, TEMPLATE_TYPES } from '@beckon/protocol';
import type { SendInput, WeChatClient } from '../client.js';
import { WeChatError } from '../errors.js';
import type { AcceptSource, LedgerStore } from './store.js';
import { firstInvalidKeyword, type TemplateRules, templateRules } from './template-rules.js';

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

/** The count of a long-term template the user accepted: it sends until turned off. */
export const LONG_TERM_ACTIVE = Number.POSITIVE_INFINITY;

export type EventOutcome = 'applied' | 'duplicate' | 'ignored';

export interface LedgerMirror {
  /**
   * The mini program reports its `wx.requestSubscribeMessage` result: +1 per accepted one-time template
   * (`accept` and the `acceptWith…` variants), a long-term template becomes active. `reject`, `ban` and
   * `filter` change nothing (a popup reject takes no earlier grant away, on WeChat and on Beckon).
   *
   * @example
   *   // POST /subscriptions/report {openid, result}
   *   await mirror.reportAccepted(openid, { errMsg: 'requestSubscribeMessage:ok', [tmplId]: 'accept' });
   */
  reportAccepted(openid: string, result: SubscribeResultReport): Promise<void>;
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
   * the same accept), change (reject) → 0, sent → confirms the spend of that msgid. A redelivered event
   * changes nothing (`'duplicate'`); call events and unknown events are `'ignored'`.
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
  /** Forgets the cached template list (e.g. after adding a template). */
  refreshTemplates(): Promise<void>;
}

const isAccept = (status: unknown) =>
  typeof status === 'string' && (status === 'accept' || status.startsWith('acceptWith'));

const isSubscribeEvent = (event: { Event: string }): event is SubscribeEvent =>
  (SUBSCRIBE_EVENTS as readonly string[]).includes(event.Event);

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

  /** A template's rules; a template unknown to the cache refetches the list once (it may be new). */
  async function rulesOf(templateId: string): Promise<TemplateRules | undefined> {
    return (await templates()).get(templateId) ?? (await templates(true)).get(templateId);
  }

  async function accepted(openid: string, templateId: string, source: AcceptSource): Promise<void> {
    const rules = await rulesOf(templateId);
    // Unknown to the app's list (deleted meanwhile): counted as one-time, which is what most templates are.
    if (rules?.type === TEMPLATE_TYPES.longTerm) await store.setActive(openid, templateId, true);
    else await store.accept(openid, templateId, source, pairTtlMs);
  }

  /** 40037 for a template the app does not have, 47003 for the first keyword the platform would refuse. */
  async function checkData(templateId: string, data: SendInput['data']): Promise<void> {
    const rules = await rulesOf(templateId);
    if (!rules) throw new WeChatError(Errors.INVALID_TEMPLATE_ID.code, Errors.INVALID_TEMPLATE_ID.message);
    const bad = firstInvalidKeyword(rules, data);
    if (bad)
      throw new WeChatError(
        Errors.ARGUMENT_INVALID.code,
        `argument invalid! data.${bad.key}.value ${bad.problem}`,
      );
  }

  return {
    async reportAccepted(openid, result) {
      for (const [templateId, status] of Object.entries(result)) {
        if (templateId !== 'errMsg' && isAccept(status)) await accepted(openid, templateId, 'client');
      }
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
      if (!(await store.markSeen(eventId(event), seenTtlMs))) return 'duplicate';
      if (event.Event === 'subscribe_msg_popup_event') {
        for (const item of event.List) {
          if (item.SubscribeStatusString === 'accept') await accepted(openid, item.TemplateId, 'event');
        }
      } else {
        // Only rejections are pushed as changes (spec §5.3): the template was turned off.
        for (const item of event.List) await store.reset(openid, item.TemplateId);
      }
      return 'applied';
    },

    async count(openid, templateId) {
      const e = await store.get(openid, templateId);
      return e.active ? LONG_TERM_ACTIVE : e.count;
    },

    async sendWithQuota(request) {
      await checkData(request.template_id, request.data);
      const { touser: openid, template_id: templateId } = request;
      const reservation = await store.reserve(openid, templateId);
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
        } else if (reservation === 'one-time') {
          await store.release(openid, templateId);
        }
        throw err;
      }
      if (reservation === 'one-time') await store.spend(openid, templateId, msgid.toString(), seenTtlMs);
      return msgid;
    },

    checkData,

    async refreshTemplates() {
      await templates(true);
    },
  };
}
