import { ApiError, Errors, SCENE_DESC_MAX, TITLE_PAGE_MAX } from '@beckon/protocol';

/**
 * Reading the template-management parameters the way WeChat does: each parameter has its own errcode
 * (spec §1.4), so the route schemas let anything through and these functions decide. Values arrive as
 * JSON values or, from query strings and form bodies, as strings (arrays when a key is repeated).
 */

const DIGITS = /^\d+$/;

/** A query parameter given once, as text; `null` when it is repeated or not text. */
function single(raw: unknown): string | null | undefined {
  if (raw === undefined) return undefined;
  return typeof raw === 'string' ? raw : null;
}

/** A non-negative integer given as a JSON number or as digits. */
function wholeNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw === 'string' && DIGITS.test(raw.trim())) {
    const n = Number(raw.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** `ids=2,616`: 200018 when absent or empty, 200019 unless every id is a known category. */
export function parseCategoryIds(raw: unknown, isCategory: (id: number) => boolean): number[] {
  const text = single(raw);
  if (text === null) throw new ApiError(Errors.CATEGORY_IDS_INVALID);
  if (text === undefined || text.trim() === '') throw new ApiError(Errors.CATEGORY_IDS_MISSING);
  // Quoted ids (`ids="2,616"`) are rejected, as WeChat does although its newest doc shows quotes.
  const ids = text.split(',').map((part) => (DIGITS.test(part.trim()) ? Number(part.trim()) : Number.NaN));
  if (ids.some((id) => !isCategory(id))) throw new ApiError(Errors.CATEGORY_IDS_INVALID);
  return ids;
}

/** `start`: from 0 (200016). */
export function parseStart(raw: unknown): number {
  const text = single(raw);
  const start = text ? wholeNumber(text) : undefined;
  if (start === undefined) throw new ApiError(Errors.START_INVALID);
  return start;
}

/** `limit`: 1 to 30 (200017). */
export function parseLimit(raw: unknown): number {
  const text = single(raw);
  const limit = text ? wholeNumber(text) : undefined;
  if (limit === undefined || limit < 1 || limit > TITLE_PAGE_MAX) throw new ApiError(Errors.LIMIT_INVALID);
  return limit;
}

/** `tid`, a number or digits (200014 when missing or malformed; the caller checks that it exists). */
export function parseTid(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') {
    throw new ApiError(Errors.TID_INVALID, 'missing parameter tid');
  }
  const tid = wholeNumber(raw);
  if (tid === undefined || tid === 0) throw new ApiError(Errors.TID_INVALID, 'invalid parameter tid');
  return tid;
}

/**
 * `kidList` in any encoding SDKs send: a JSON array; repeated form keys, `kidList[]`, `kidList[0]` (the
 * form parser makes these an array); a single form value (`kidList=1`); a JSON array in a form value
 * (`kidList=[1,2]`). Elements are numbers or digits. Returns `undefined` when absent and `null` when
 * unreadable; whether the kids fit the title is the caller's check.
 */
export function parseKidList(raw: unknown): number[] | null | undefined {
  if (raw === undefined || raw === null) return undefined;
  let list: unknown = raw;
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text === '') return [];
    if (text.startsWith('[')) {
      try {
        list = JSON.parse(text);
      } catch {
        return null;
      }
    } else list = [text];
  } else if (typeof raw === 'number') list = [raw];
  if (!Array.isArray(list)) return null;
  const kids = list.map((k) => (typeof k === 'number' || typeof k === 'string' ? wholeNumber(k) : undefined));
  return kids.every((k) => k !== undefined) ? kids : null;
}

/** `sceneDesc`: optional text of at most 15 characters, counted as code points (200021). */
export function parseSceneDesc(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string' || [...raw].length > SCENE_DESC_MAX) {
    throw new ApiError(Errors.SCENE_DESC_INVALID);
  }
  return raw;
}
