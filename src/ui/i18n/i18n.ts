// Message lookup with {placeholders}; components never hold user-visible strings themselves.
import type { Lang } from '../../state/preferences';
import { ar, type MessageKey } from './ar';
import { en } from './en';

const catalogues: Record<Lang, Record<MessageKey, string>> = { ar, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const catalogue = catalogues[lang];
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
