import {
  checkKeywordValue,
  ENUM_KEY_PREFIX,
  isKeywordType,
  keywordKey,
  type PrivateTemplateView,
  type TemplateType,
} from '@beckon/protocol';

/** One placeholder of a template and the rule its value must pass (the platform's, from protocol). */
export interface KeywordRule {
  key: string;
  /** `thing`, `date`, … `enum`; null when the key names a type this SDK does not know (the platform decides). */
  rule: string | null;
  enumValues?: string[];
}

export interface TemplateRules {
  templateId: string;
  type: TemplateType;
  /** In the template's order: the platform reports the first failing keyword, and so does `checkData`. */
  keywords: KeywordRule[];
}

const PLACEHOLDER = /\{\{([A-Za-z_]+\d+)\.DATA\}\}/g;

/**
 * A keyword's rule from its key: the key is the type followed by the kid (`thing1`, `enum_string2`), the
 * inverse of protocol's `keywordKey`, checked by rebuilding the key with it.
 */
export function ruleOfKey(key: string): string | null {
  const m = /^([A-Za-z_]+?)(\d+)$/.exec(key);
  if (!m) return null;
  const rule = m[1] === ENUM_KEY_PREFIX ? 'enum' : m[1]!;
  return isKeywordType(rule) && keywordKey(rule, Number(m[2])) === key ? rule : null;
}

/** The rules of one template as `gettemplate` lists it (its `content` names every placeholder). */
export function templateRules(view: PrivateTemplateView): TemplateRules {
  const enums = new Map(view.keywordEnumValueList?.map((e) => [e.keywordCode, e.enumValueList]));
  const keywords = [...view.content.matchAll(PLACEHOLDER)].map(([, key]): KeywordRule => {
    const rule = ruleOfKey(key!);
    const values = enums.get(key!);
    return { key: key!, rule, ...(values ? { enumValues: values } : {}) };
  });
  return { templateId: view.priTmplId, type: view.type, keywords };
}

/** The first keyword whose value the platform would refuse, as 47003 names it; null when all pass. */
export function firstInvalidKeyword(
  rules: TemplateRules,
  data: Record<string, { value: unknown } | undefined> | undefined,
): { key: string; problem: 'is empty' | 'invalid' } | null {
  for (const k of rules.keywords) {
    if (k.rule === null) continue;
    const entry = data && Object.hasOwn(data, k.key) ? data[k.key] : undefined;
    const value = typeof entry === 'object' && entry !== null ? entry.value : undefined;
    const verdict = checkKeywordValue(k.rule, value, k.enumValues);
    if (verdict !== 'ok') return { key: k.key, problem: verdict };
  }
  return null;
}
