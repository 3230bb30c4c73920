import type { TemplateType } from '@beckon/protocol';
import data from './library.json' with { type: 'json' };

/**
 * The public template library (公共模板库): categories, titles and each title's keyword pool, shipped as
 * data in `library.json`. Every text has WeChat's Chinese and an English rendering; the wire speaks
 * Chinese unless a request asks for `lang=en_US` (a Beckon extension).
 */

export interface LibraryCategory {
  id: number;
  name: string;
  nameEn: string;
  /** Long-term (type 3) titles exist only in these categories (spec §6.2). */
  longTerm?: boolean;
}

export interface LibraryKeyword {
  /** 1, 2, … within its title. */
  kid: number;
  name: string;
  nameEn: string;
  /** The keyword type (spec §2), e.g. `thing`. */
  rule: string;
  example: string;
  exampleEn: string;
  /** `enum` keywords only: the values a send may use, and their English renderings (same order). */
  enumValues?: string[];
  enumValuesEn?: string[];
}

export interface LibraryTitle {
  tid: number;
  categoryId: number;
  type: TemplateType;
  title: string;
  titleEn: string;
  /**
   * A title that breaks the operation rules (marketing: coupons, red packets…, spec §6.3). It stays listed
   * so that `addtemplate` can answer 200013, as WeChat does for a banned template.
   */
  banned?: boolean;
  keywords: LibraryKeyword[];
}

export interface LibraryData {
  categories: LibraryCategory[];
  titles: LibraryTitle[];
}

/** `zh_CN` is WeChat's only language; `en_US` is Beckon's extension for the library's texts. */
export type LibraryLang = 'zh_CN' | 'en_US';

export function toLang(value: unknown): LibraryLang {
  return value === 'en_US' ? 'en_US' : 'zh_CN';
}

/** The library, indexed by tid and by category. */
export class TemplateLibrary {
  readonly categories: readonly LibraryCategory[];
  readonly titles: readonly LibraryTitle[];
  private readonly byTid = new Map<number, LibraryTitle>();
  private readonly byCategory = new Map<number, LibraryTitle[]>();

  constructor(library: LibraryData) {
    this.categories = library.categories;
    this.titles = library.titles;
    for (const c of library.categories) this.byCategory.set(c.id, []);
    for (const t of library.titles) {
      if (this.byTid.has(t.tid)) throw new Error(`template library: duplicate tid ${t.tid}`);
      const list = this.byCategory.get(t.categoryId);
      if (!list) throw new Error(`template library: tid ${t.tid} has unknown category ${t.categoryId}`);
      this.byTid.set(t.tid, t);
      list.push(t);
    }
  }

  title(tid: number): LibraryTitle | undefined {
    return this.byTid.get(tid);
  }

  hasCategory(id: number): boolean {
    return this.byCategory.has(id);
  }

  /** Titles of the given categories, in library order (a category named twice counts once). */
  titlesIn(categoryIds: readonly number[]): LibraryTitle[] {
    const wanted = new Set(categoryIds);
    return this.titles.filter((t) => wanted.has(t.categoryId));
  }
}

/** The library shipped with Beckon. */
export const library = new TemplateLibrary(data as LibraryData);
