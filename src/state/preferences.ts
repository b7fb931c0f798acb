// Preferences kept on this device: the interface language (Arabic by default), the digits Arabic is
// written in (Western 0-9 by default, or Arabic-Indic), and how long the app may stay idle before it locks.
import { createStore } from 'zustand/vanilla';

export type Lang = 'ar' | 'en';
/** Western (0-9) or Arabic-Indic (٠-٩) digits, in the Arabic interface. */
export type Digits = 'latn' | 'arab';

/** The choices offered for the idle lock, in minutes; 5 unless changed. */
export const LOCK_AFTER_CHOICES = [1, 2, 5, 10, 15] as const;
export const DEFAULT_LOCK_AFTER_MINUTES = 5;
const isLockChoice = (minutes: number) => (LOCK_AFTER_CHOICES as readonly number[]).includes(minutes);

export interface PreferencesState {
  lang: Lang;
  lockAfterMinutes: number;
  digits: Digits;
  setLang(lang: Lang): void;
  setDigits(digits: Digits): void;
  setLockAfterMinutes(minutes: number): void;
}

const LANG_KEY = 'wasel.lang';
const LOCK_KEY = 'wasel.lockAfterMinutes';
const DIGITS_KEY = 'wasel.digits';

/** Storage is read synchronously at start so the first paint is already in the chosen language. */
export function createPreferencesStore(storage: Pick<Storage, 'getItem' | 'setItem'>) {
  const saved = storage.getItem(LANG_KEY);
  const lockAfter = Number(storage.getItem(LOCK_KEY));
  return createStore<PreferencesState>((set) => ({
    lang: saved === 'en' ? 'en' : 'ar',
    lockAfterMinutes: isLockChoice(lockAfter) ? lockAfter : DEFAULT_LOCK_AFTER_MINUTES,
    digits: storage.getItem(DIGITS_KEY) === 'arab' ? 'arab' : 'latn',
    setDigits(digits) {
      storage.setItem(DIGITS_KEY, digits);
      set({ digits });
    },
    setLang(lang) {
      storage.setItem(LANG_KEY, lang);
      set({ lang });
    },
    setLockAfterMinutes(minutes) {
      if (!isLockChoice(minutes)) return;
      storage.setItem(LOCK_KEY, String(minutes));
      set({ lockAfterMinutes: minutes });
    },
  }));
}
