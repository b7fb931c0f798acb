// Message lookup with {placeholders}; components never hold user-visible strings themselves.
import type { Lang } from '../../state/preferences';
import { ar, type MessageKey } from './ar';

type Catalogue = Record<MessageKey, string>;

// Arabic is the default and ships with the first screen; English loads when chosen (and is precached
// by the service worker like every other chunk, so it is there offline too).
const catalogues: Partial<Record<Lang, Catalogue>> = { ar };

/** Makes a language's messages available; resolves at once for Arabic. */
export async function loadCatalogue(lang: Lang): Promise<void> {
  if (catalogues[lang] !== undefined) return;
  catalogues[lang] = (await import('./en')).en;
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Messages of `lang`; Arabic until that language's catalogue has loaded (see loadCatalogue). */
export function translator(lang: Lang): Translate {
  const catalogue = catalogues[lang] ?? ar;
  return (key, params) => {
    const text = catalogue[key];
    if (params === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (match, name: string) => {
      const value = params[name];
      return value === undefined ? match : String(value);
    });
  };
}

export function directionOf(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export type { MessageKey };
