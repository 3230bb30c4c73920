import {
  ENUM_KEY_PREFIX,
  isKeywordType,
  type KeywordRuleOf,
  keywordKey,
  type PrivateTemplateView,
  type TemplateType,
} from '@beckon/protocol';

/**
 * One placeholder of a template and the rule its value must pass (the platform's, from protocol): `rule` is
 * `thing`, `date`, … `enum`, or null when the key names a type this SDK does not know (the platform decides).
 */
export type KeywordRule = KeywordRuleOf;

export interface TemplateRules {
  templateId: string;
  type: TemplateType;
  /**
   * In the template's order: the platform reports the first failing keyword, and so does protocol's
   * `firstInvalidKeyword(rules.keywords, data)`, which `checkData` calls.
   */
  keywords: KeywordRule[];
}

const PLACEHOLDER = /\{\{([A-Za-z_]+\d+)\.DATA\}\}/g;

/**
 * A keyword's rule from its key: the key is the type followed by the kid (`thing1`, `enum_string2`), the
 * inverse of protocol's `keywordKey`, checked by rebuilding the key with it.
 *
 * @example
 *   ruleOfKey('thing1');        // 'thing'
 *   ruleOfKey('enum_string2');  // 'enum'
 *   ruleOfKey('wibble3');       // null: not a type the SDK knows
 */
export function ruleOfKey(key: string): string | null {
  const m = /^([A-Za-z_]+?)(\d+)$/.exec(key);
  if (!m) return null;
  const rule = m[1] === ENUM_KEY_PREFIX ? 'enum' : m[1]!;
  return isKeywordType(rule) && keywordKey(rule, Number(m[2])) === key ? rule : null;
}

/**
 * The rules of one template as `gettemplate` lists it (its `content` names every placeholder).
 *
 * @example
 *   for (const view of await client.templates.list()) {
 *     const rules = templateRules(view);
 *     const bad = firstInvalidKeyword(rules.keywords, data); // firstInvalidKeyword from the SDK
 *     if (bad) console.warn(`${rules.templateId}: data.${bad.key}.value ${bad.problem}`);
 *   }
 */
export function templateRules(view: PrivateTemplateView): TemplateRules {
  const enums = new Map(view.keywordEnumValueList?.map((e) => [e.keywordCode, e.enumValueList]));
  const keywords = [...view.content.matchAll(PLACEHOLDER)].map(([, key]): KeywordRule => {
    const rule = ruleOfKey(key!);
    const values = enums.get(key!);
    return { key: key!, rule, ...(values ? { enumValues: values } : {}) };
  });
  return { templateId: view.priTmplId, type: view.type, keywords };
}
