// User preferences kept on this device: the interface language (Arabic by default).
import { createStore } from 'zustand/vanilla';

export type Lang = 'ar' | 'en';

export interface PreferencesState {
  lang: Lang;
  setLang(lang: Lang): void;
}

const LANG_KEY = 'wasel.lang';

/** Storage is read synchronously at start so the first paint is already in the chosen language. */
export function createPreferencesStore(storage: Pick<Storage, 'getItem' | 'setItem'>) {
  const saved = storage.getItem(LANG_KEY);
  return createStore<PreferencesState>((set) => ({
    lang: saved === 'en' ? 'en' : 'ar',
    setLang(lang) {
      storage.setItem(LANG_KEY, lang);
      set({ lang });
    },
  }));
}
