import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../context.js';

/**
 * The send's content policy (spec §6.3; 45168 `keyword in blacklist`, spec §3.1): a value may not carry a
 * sensitive word, a link, or a QR-code / app deep-link payload. Subscribe messages are notices, not ads;
 * links and payment codes in them are how spam and fraud travel.
 *
 * Values are compared after NFKC (full-width `ｗｗｗ．ｘ．ｃｏｍ` reads as `www.x.com`), lower-casing and with
 * invisible format characters removed; words of Chinese (or any non-ASCII) text are also looked for with
 * the white space taken out, so `赌 博` does not slip through.
 */

export type ViolationKind = 'word' | 'link' | 'qr';

export interface Violation {
  kind: ViolationKind;
  /** What matched, as normalised. */
  match: string;
}

/** Deep-link schemes and hosts that carry a QR code's payload (WeChat, Alipay, QQ, Taobao, JD, Douyin). */
const QR_PAYLOADS = [
  'weixin://',
  'wxp://',
  'u.wechat.com',
  'wxaurl.cn',
  '#小程序://',
  'alipays://',
  'alipay://',
  'alipayqr://',
  'qr.alipay.com',
  'mqqapi://',
  'mqq://',
  'taobao://',
  'tbopen://',
  'openapp.jdmobile://',
  'snssdk1128://',
];

/** Any `scheme://`. */
const SCHEME = /[a-z][a-z0-9+.-]*:\/\//;
const WWW = /(?<![a-z0-9-])www\./;
/**
 * A bare domain: dot-separated labels ending in a common top-level domain, e.g. `example.com`, `t.cn/xyz`,
 * `bit.ly`. The top-level domain must be one of these letters-only names, so times (`15:01`), amounts
 * (`¥99.00`), versions (`2.1.0`) and names like `Mr.Li` are not links.
 */
const TLDS = [
  'com',
  'net',
  'org',
  'info',
  'biz',
  'cn',
  'io',
  'co',
  'cc',
  'me',
  'tv',
  'ai',
  'top',
  'xyz',
  'vip',
  'club',
  'site',
  'online',
  'shop',
  'app',
  'dev',
  'link',
  'live',
  'ltd',
  'wang',
  'icu',
  'fun',
  'ly',
  'gl',
  'tk',
  'ml',
  'ga',
  'cf',
  'gq',
  'pw',
  'ws',
  'hk',
  'tw',
  'mo',
  'us',
  'uk',
  'jp',
  'kr',
  'ru',
  'de',
];
const DOMAIN = new RegExp(
  `(?<![a-z0-9_-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${TLDS.join('|')})(?![a-z0-9-])`,
);
/** Chinese top-level domains, whose labels are Chinese too (`百度.中国`). */
const CHINESE_DOMAIN = /[\p{L}\p{N}-]\.(?:中国|公司|网络|网址)/u;

const INVISIBLE = /\p{Cf}/gu;

/**
 * Printable ASCII without spaces and CJK unified ideographs: text NFKC leaves as it is, with nothing
 * invisible and no white space, as most values are (names, times, amounts). Normalising it is lowercasing.
 */
const STABLE = /^[\x21-\x7e\u4e00-\u9fff]*$/;

function normalise(text: string): string {
  if (STABLE.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

const isPlainAscii = (word: string) => /^[a-z0-9 ]+$/.test(word);
const escapeRegExp = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The words of a list file: one per line, `#` starts a comment line, blank lines skipped. */
export function parseWordList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** One pattern that finds any of `words` (none: never matches), taken literally. */
const anyOf = (words: Iterable<string>, around = (alternatives: string) => alternatives): RegExp => {
  const alternatives = [...words].map(escapeRegExp).join('|');
  return alternatives === '' ? /(?!)/ : new RegExp(around(`(?:${alternatives})`));
};

const QR_PAYLOAD = anyOf(QR_PAYLOADS);

export class ContentPolicy {
  /** ASCII words, matched as whole words. */
  private readonly asciiWords: RegExp;
  /** Other words, matched anywhere (also with white space removed from the value). */
  private readonly otherWords: RegExp;

  constructor(words: Iterable<string>) {
    const ascii = new Set<string>();
    const other = new Set<string>();
    for (const raw of words) {
      const word = normalise(raw);
      if (word === '') continue;
      if (isPlainAscii(word)) ascii.add(word);
      else other.add(word.replace(/ /g, ''));
    }
    // One pattern per kind, not a loop over the list: the check runs on every value of every send.
    this.asciiWords = anyOf(ascii, (words) => `(?<![a-z0-9])${words}(?![a-z0-9])`);
    this.otherWords = anyOf(other);
  }

  /** The first reason `text` may not be sent, or undefined when it may. */
  violation(text: string): Violation | undefined {
    const value = normalise(text);
    // Every QR payload and every link has a dot or a `://`; most values (names, times, counts) have neither.
    if (value.includes('.') || value.includes('://')) {
      const qr = QR_PAYLOAD.exec(value);
      if (qr) return { kind: 'qr', match: qr[0] };
      const link = SCHEME.exec(value) ?? WWW.exec(value) ?? DOMAIN.exec(value) ?? CHINESE_DOMAIN.exec(value);
      if (link) return { kind: 'link', match: link[0] };
    }
    const word =
      this.asciiWords.exec(value) ??
      this.otherWords.exec(value) ??
      (value.includes(' ') ? this.otherWords.exec(value.replace(/ /g, '')) : null);
    if (word) return { kind: 'word', match: word[0] };
    return undefined;
  }
}

/** The file name of a word list, both shipped and in the data dir. */
export const WORD_LIST_FILE = 'sensitive-words.txt';

/** The list shipped with Beckon: beside this module in the sources; the build reads it from there too. */
function defaultWords(): string[] {
  const candidates = [
    new URL(`./${WORD_LIST_FILE}`, import.meta.url),
    new URL(`../../src/messages/${WORD_LIST_FILE}`, import.meta.url),
  ];
  for (const url of candidates) {
    try {
      return parseWordList(readFileSync(url, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new Error(`the default ${WORD_LIST_FILE} is missing from the installation`);
}

/** The operator's words in `<dataDir>/sensitive-words.txt`; none when there is no such file. */
function operatorWords(dataDir: string): string[] {
  try {
    return parseWordList(readFileSync(join(dataDir, WORD_LIST_FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The default list plus the operator's. */
export function loadContentPolicy(dataDir: string): ContentPolicy {
  return new ContentPolicy([...defaultWords(), ...operatorWords(dataDir)]);
}

const policies = new WeakMap<Context, ContentPolicy>();

/** The context's policy, read from disk once (the send routes ask for it when they are registered). */
export function contentPolicy(ctx: Context): ContentPolicy {
  let policy = policies.get(ctx);
  if (!policy) {
    policy = loadContentPolicy(ctx.config.dataDir);
    policies.set(ctx, policy);
  }
  return policy;
}
