import type { ConsentSource, Decision } from '@beckon/protocol';

/**
 * A user's consent for one template of one app. One-time templates accumulate `remaining` sends (+1 per
 * accept, -1 per send); a long-term template sends while `active`. `status` is the latest decision, and
 * `keepChoice` says the user asked to remember it (silent requests, `itemSettings`).
 */
export interface GrantRecord {
  appid: string;
  userId: string;
  templateId: string;
  /** 2 one-time, 3 long-term */
  templateType: 2 | 3;
  remaining: number;
  active: boolean;
  status: Decision;
  keepChoice: boolean;
  updatedAt: number;
}

/** One entry of the consent log: who changed what, when (the popup/change events of a later issue). */
export interface ConsentChange {
  /** Assigned by the store, increasing. */
  id: number;
  appid: string;
  userId: string;
  templateId: string;
  status: Decision;
  source: ConsentSource;
  at: number;
}

/** One template's outcome in a request the user answered (or that was answered silently). */
export interface DecisionInput {
  templateId: string;
  templateType: 2 | 3;
  status: Decision;
  /** true: remember this decision (keep-choice ticked); false: forget any remembered one; undefined: leave. */
  keepChoice?: boolean;
  source: 'popup' | 'silent';
}

export interface ConsentStore {
  /** The user's grants in the app, for the given templates (all of the app's when omitted). */
  grants(appid: string, userId: string, templateIds?: string[]): Promise<GrantRecord[]>;
  /** The app's main subscription switch for the user; on unless switched off. */
  mainSwitch(appid: string, userId: string): Promise<boolean>;
  /**
   * Applies a request's decisions in one transaction: accept → one-time `remaining + 1` / long-term
   * `active`; reject → nothing granted (a reject does not take earlier grants away). Logs one change each.
   * When the user's main switch is off it records nothing and returns `[]` (checked in the same
   * transaction, so a grant can never land after a switch-off has committed).
   */
  recordDecisions(
    appid: string,
    userId: string,
    decisions: DecisionInput[],
    at: number,
  ): Promise<ConsentChange[]>;
  /**
   * The settings page or a card's "stop receiving": `reject` zeroes the template's grants and deactivates
   * it, `accept` only marks it accepted (restores nothing). Either way the choice is remembered. One
   * transaction, one logged change.
   */
  setTemplate(
    appid: string,
    userId: string,
    templateId: string,
    templateType: 2 | 3,
    status: Decision,
    source: 'settings' | 'card',
    at: number,
  ): Promise<ConsentChange>;
  /**
   * Switching off zeroes and deactivates every grant of the user in the app (one transaction) and, when
   * the switch was on, logs a `reject` (source `main-switch`) for each template the user has a grant row
   * for. Switching on only records the switch: it restores nothing and logs nothing.
   */
  setMainSwitch(appid: string, userId: string, on: boolean, at: number): Promise<void>;
  /** The log after `afterId`, oldest first. */
  changes(afterId: number, limit: number): Promise<ConsentChange[]>;
}
