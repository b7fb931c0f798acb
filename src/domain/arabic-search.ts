// Arabic search folding: the spellings people use interchangeably compare equal, so a search for
// "احمد" finds "أحمد" and "فاطمه" finds "فاطمة". Used for the multi-entry search index on the device.
import { normalizeDigits } from './digits';

const TASHKEEL_AND_TATWEEL = /[\u064B-\u065F\u0670\u0640]/g;
const ALEF_FORMS = /[\u0623\u0625\u0622\u0671]/g; // أ إ آ ٱ

/** Folds text for comparison: alef forms → ا, ة → ه, ى → ي, no tashkeel or tatweel, 0-9 digits, lower-case Latin. */
export function foldArabic(text: string): string {
  return normalizeDigits(text.normalize('NFC'))
    .replace(TASHKEEL_AND_TATWEEL, '')
    .replace(ALEF_FORMS, '\u0627')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u0649/g, '\u064A')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a folded text; "عبد الله" also yields "عبدالله", the way it is often written. */
export function nameTokens(text: string): string[] {
  const words = foldArabic(text)
    .split(/[\s\-_.،,]+/)
    .filter((w) => w !== '');
  const tokens = [...words];
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === 'عبد') tokens.push(`عبد${words[i + 1] ?? ''}`);
  }
  return tokens;
}

export interface SearchableBeneficiary {
  names: readonly string[];
  nationalId?: string | undefined;
  /** E.164, e.g. +966501234567 */
  mobile?: string | undefined;
}

/**
 * The tokens of the search index: every name word, the national ID, and the mobile number as both
 * 9665XXXXXXXX and 05XXXXXXXX, so that a prefix typed in either form matches.
 */
export function searchTokens(b: SearchableBeneficiary): string[] {
  const tokens = new Set<string>();
  for (const name of b.names) for (const token of nameTokens(name)) tokens.add(token);
  if (b.nationalId !== undefined && b.nationalId !== '') tokens.add(normalizeDigits(b.nationalId).trim());
  if (b.mobile?.startsWith('+966') === true) {
    tokens.add(b.mobile.slice(1));
    tokens.add(`0${b.mobile.slice(4)}`);
  }
  return [...tokens];
}

/** The folded tokens of what a user typed in a search box; each must prefix-match some index token. */
export function queryTokens(query: string): string[] {
  return foldArabic(query)
    .split(/[\s\-_.،,]+/)
    .filter((w) => w !== '')
    .map((w) => (/^\+?966/.test(w) ? w.replace(/^\+/, '') : w));
}

/** Whether a record with these index tokens matches the query (every query token prefixes a token). */
export function matchesQuery(indexTokens: readonly string[], query: string): boolean {
  return queryTokens(query).every((q) => indexTokens.some((t) => t.startsWith(q)));
}

/**
 * Search buckets, for an index that cannot be read (blind index on an encrypted device): a token is
 * filed under its first 3 letters, or, for numbers (IDs, phones without 966 or 0), its first 5 digits.
 * The index finds the candidates of a bucket and the caller checks them with `matchesQuery`. Only that
 * much is given away: which records share a bucket, never what the bucket is.
 */
const BUCKET_LETTERS = 3;
const BUCKET_DIGITS = 5;

function bucketOf(token: string): string | null {
  if (/^\d+$/.test(token)) {
    const digits = token.replace(/^(966|0)/, '');
    return digits.length >= BUCKET_DIGITS ? `#${digits.slice(0, BUCKET_DIGITS)}` : null;
  }
  return token.length >= BUCKET_LETTERS ? `@${token.slice(0, BUCKET_LETTERS)}` : `@${token}`;
}

/** The buckets a record with these index tokens is filed under. */
export function searchBuckets(indexTokens: readonly string[]): string[] {
  const buckets = new Set<string>();
  for (const token of indexTokens) {
    const bucket = bucketOf(token);
    if (bucket !== null) buckets.add(bucket);
  }
  return [...buckets];
}

/**
 * Every bucket a query's words must all be in, longest word first: a record matching the query is in each
 * of them, so looking in their intersection is exact and smaller. Empty while no word is long enough.
 */
export function queryBuckets(query: string): string[] {
  const buckets: string[] = [];
  const words = queryTokens(query).sort((a, b) => b.length - a.length);
  for (const word of words) {
    // A number has a bucket once it has enough digits; a short word's bucket is itself, not a prefix.
    const bucket = /^\d+$/.test(word) || word.length >= BUCKET_LETTERS ? bucketOf(word) : null;
    if (bucket !== null && !buckets.includes(bucket)) buckets.push(bucket);
  }
  return buckets;
}
