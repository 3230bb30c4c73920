/** A keyword chosen for a private template, in the order of `kidList`. */
export interface TemplateKeyword {
  kid: number;
  /** e.g. `thing1`: the keyword's rule followed by its kid, as in `{{thing1.DATA}}`. */
  key: string;
  name: string;
  rule: string;
  example: string;
  enumValues?: string[];
}

/** A template an app added from the public library (`addtemplate`). */
export interface PrivateTemplateRecord {
  priTmplId: string;
  appid: string;
  tid: number;
  title: string;
  /** 2 = one-time, 3 = long-term */
  type: 2 | 3;
  sceneDesc: string;
  keywords: TemplateKeyword[];
  createdAt: number;
}

export interface TemplateStore {
  /**
   * Adds the template unless the app holds `limit` already (returns false then). Counting and inserting
   * are one transaction, so concurrent adds never pass the cap.
   */
  add(template: PrivateTemplateRecord, limit: number): Promise<boolean>;
  get(appid: string, priTmplId: string): Promise<PrivateTemplateRecord | undefined>;
  /** Oldest first. */
  list(appid: string): Promise<PrivateTemplateRecord[]>;
  /** Returns false when the app has no such template. */
  remove(appid: string, priTmplId: string): Promise<boolean>;
}
