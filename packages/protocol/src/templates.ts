/**
 * Template management contracts (spec/subscribe-messages.md §1.4, §2, §6.2): keyword types, template
 * types, the limits `addtemplate` enforces, and the wire shapes of the six `/wxaapi/newtmpl/*` answers.
 * The rules a keyword VALUE must follow when sending are not here (they belong to the send contract).
 */

/** The keyword (placeholder) types of the published rule table, spec §2. */
export const KEYWORD_TYPES = [
  'thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase',
  'enum',
] as const;
export type KeywordType = (typeof KEYWORD_TYPES)[number];

/**
 * Types seen in production templates but absent from the published table (spec §2 "seen in the wild"):
 * `short_thing` has no published length rule. (`const` appears only in Official-Account templates.)
 */
export const WILD_KEYWORD_TYPES = ['short_thing'] as const;
export type WildKeywordType = (typeof WILD_KEYWORD_TYPES)[number];

export type AnyKeywordType = KeywordType | WildKeywordType;

/** What each type is called in WeChat's table, and whether the table publishes it. */
export const KEYWORD_TYPE_LABELS: Record<AnyKeywordType, { zh: string; en: string; published: boolean }> = {
  thing: { zh: '事物', en: 'thing', published: true },
  number: { zh: '数字', en: 'number', published: true },
  letter: { zh: '字母', en: 'letter', published: true },
  symbol: { zh: '符号', en: 'symbol', published: true },
  character_string: { zh: '字符串', en: 'string', published: true },
  time: { zh: '时间', en: 'time', published: true },
  date: { zh: '日期', en: 'date', published: true },
  amount: { zh: '金额', en: 'amount', published: true },
  phone_number: { zh: '电话', en: 'phone number', published: true },
  car_number: { zh: '车牌', en: 'licence plate', published: true },
  name: { zh: '姓名', en: 'name', published: true },
  phrase: { zh: '汉字', en: 'Chinese phrase', published: true },
  enum: { zh: '枚举值', en: 'enumerated value', published: true },
  short_thing: { zh: '短事物', en: 'short thing', published: false },
};

export function isKeywordType(rule: string): rule is AnyKeywordType {
  return Object.hasOwn(KEYWORD_TYPE_LABELS, rule);
}

/** An `enum` keyword's placeholder is `enum_string<kid>`, as in the official getTemplateList example. */
export const ENUM_KEY_PREFIX = 'enum_string';

/** The placeholder key of a keyword: its type followed by its kid, e.g. `thing1`, `enum_string2`. */
export function keywordKey(rule: string, kid: number): string {
  return `${rule === 'enum' ? ENUM_KEY_PREFIX : rule}${kid}`;
}

/** Template `type`: 2 = one-time (一次性订阅), 3 = long-term (长期订阅), spec §1.4, §6.2. */
export const TEMPLATE_TYPES = { oneTime: 2, longTerm: 3 } as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[keyof typeof TEMPLATE_TYPES];

/** An app holds at most this many private templates (200012). */
export const MAX_PRIVATE_TEMPLATES = 25;
/** `kidList` picks 2 to 5 keywords of the title (200020)… */
export const KID_LIST_MIN = 2;
export const KID_LIST_MAX = 5;
/** …except for "new one-time" titles, 10000001 ≤ tid < 20000000, whose `kidList` must be `[]`. */
export const NEW_ONE_TIME_TID_MIN = 10_000_001;
export const NEW_ONE_TIME_TID_END = 20_000_000;
/** `sceneDesc` is at most 15 characters (200021). */
export const SCENE_DESC_MAX = 15;
/** `getpubtemplatetitles` pages hold 1 to 30 titles (200017). */
export const TITLE_PAGE_MAX = 30;

/** A "new one-time" title takes all its keywords: `kidList` must be empty. */
export function isNewOneTimeTid(tid: number): boolean {
  return tid >= NEW_ONE_TIME_TID_MIN && tid < NEW_ONE_TIME_TID_END;
}

/** The success envelope every template-management answer carries. */
export interface WechatOk {
  errcode: 0;
  errmsg: 'ok';
}

/** `GET /wxaapi/newtmpl/getcategory` */
export interface CategoryListResponse extends WechatOk {
  data: { id: number; name: string }[];
}

/** `GET /wxaapi/newtmpl/getpubtemplatetitles`. `categoryId` is a string on the wire (spec §1.4 quirk). */
export interface PubTemplateTitlesResponse extends WechatOk {
  /** All matching titles, not just this page. */
  count: number;
  data: { tid: number; title: string; type: TemplateType; categoryId: string }[];
}

/** `GET /wxaapi/newtmpl/getpubtemplatekeywords` */
export interface PubTemplateKeywordsResponse extends WechatOk {
  count: number;
  data: { kid: number; name: string; example: string; rule: string }[];
}

/** `POST /wxaapi/newtmpl/addtemplate` */
export interface AddTemplateResponse extends WechatOk {
  priTmplId: string;
}

/** One private template in `gettemplate`. */
export interface PrivateTemplateView {
  priTmplId: string;
  title: string;
  /** One `label:{{key.DATA}}` line per keyword, each ending in `\n`. */
  content: string;
  /** One `label:example` line per keyword, each ending in `\n`. */
  example: string;
  type: TemplateType;
  /** Present only when the template has `enum` keywords. */
  keywordEnumValueList?: { keywordCode: string; enumValueList: string[] }[];
}

/** `GET /wxaapi/newtmpl/gettemplate` */
export interface TemplateListResponse extends WechatOk {
  data: PrivateTemplateView[];
}

/** `POST /wxaapi/newtmpl/deltemplate` */
export type DeleteTemplateResponse = WechatOk;
