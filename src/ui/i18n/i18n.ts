// Message lookup with {placeholders}; components never hold user-visible strings themselves.
import { useEffect, useState } from 'preact/hooks';
import type { Digits, Lang } from '../../state/preferences';
import { ar, type MessageKey } from './ar';

type Catalogue = Partial<Record<MessageKey, string>>;

// Arabic is the default and its first screen's part ships with the first screen; the signed-in screens'
// part loads with the workspace, and English when chosen (each precached by the service worker like every
// other chunk, so they are there offline too).
const catalogues: Partial<Record<Lang, Catalogue>> = { ar: { ...ar } };
/** Plural forms of the messages that count, by language: loaded with their catalogues. */
const plurals: Partial<Record<Lang, Record<string, Partial<Record<Intl.LDMLPluralRule, string>>>>> = {};

/** Makes a language's messages available; resolves at once for Arabic. */
export async function loadCatalogue(lang: Lang): Promise<void> {
  if (catalogues[lang] !== undefined) return;
  const { en, enPlurals } = await import('./en');
  catalogues[lang] = en;
  plurals[lang] = enPlurals;
}

let workspaceMessages: Promise<void> | undefined;
let workspaceReady = false;
/** The Arabic messages of the signed-in screens; loaded before the workspace is shown. */
export function loadWorkspaceMessages(): Promise<void> {
  workspaceMessages ??= import('./ar-workspace').then(
    ({ arWorkspace, arPlurals }) => {
      catalogues.ar = { ...catalogues.ar, ...arWorkspace };
      plurals.ar = arPlurals;
      workspaceReady = true;
    },
    (error: unknown) => {
      // Tried again next time (a deploy replaced the chunk, the network blinked), never cached as failed.
      workspaceMessages = undefined;
      throw error;
    },
  );
  return workspaceMessages;
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * A message with its {placeholders} filled; one left unnamed stays as written. Numbers (counts, days) are
 * written in the user's digits; text (an ID, a name) as it is.
 */
export function fill(
  text: string,
  params: Record<string, string | number> = {},
  digits: Digits = 'latn',
): string {
  return text.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    if (value === undefined) return match;
    // Arabic-Indic digits are U+0660 to U+0669 (as domain/digits writes them; not imported, for size).
    return typeof value === 'number' && digits === 'arab'
      ? String(value).replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d)))
      : String(value);
  });
}

/** The translator of one feature's catalogue (the request screens', the console's…), in one language. */
export function catalogueT<K extends string>(catalogue: Record<K, string>, digits: Digits = 'latn') {
  return (key: K, params: Record<string, string | number> = {}) => fill(catalogue[key], params, digits);
}

/** Each language's plural rules, made once (a translator is made at every render). */
const pluralRules = new Map<Lang, Intl.PluralRules>();
const rulesOf = (lang: Lang) => {
  let rules = pluralRules.get(lang);
  if (rules === undefined) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules;
};

/** Messages of `lang`; Arabic until that language's catalogue has loaded (see loadCatalogue). */
export function translator(lang: Lang, digits: Digits = 'latn'): Translate {
  const catalogue: Catalogue = catalogues[lang] ?? catalogues.ar ?? ar;
  const rules = rulesOf(lang);
  return (key, params) => {
    // A count picks the message's plural form (Arabic has six), when it has one.
    const count = params?.count;
    const plural = typeof count === 'number' ? plurals[lang]?.[key]?.[rules.select(count)] : undefined;
    // A key of a part not loaded yet reads as itself rather than as nothing (never seen in practice: the
    // signed-in screens wait for their messages).
    const text = plural ?? catalogue[key] ?? key;
    return params === undefined ? text : fill(text, params, digits);
  };
}

export function directionOf(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export type { MessageKey };

/**
 * True once the signed-in screens' messages are here (at once after their first load); loads them when
 * `wanted` (someone is signed in) if nothing loaded them before (main.tsx, after the first screen).
 */
export function useWorkspaceMessages(wanted: boolean): boolean {
  const [ready, setReady] = useState(workspaceReady);
  useEffect(() => {
    if (ready || !wanted) return;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      loadWorkspaceMessages().then(
        () => {
          setReady(true);
        },
        () => {
          retry = setTimeout(load, 2000);
        },
      );
    };
    load();
    return () => {
      clearTimeout(retry);
    };
  }, [ready, wanted]);
  return ready;
}
