// How components reach the app's stores: one context, filled by main.tsx (or a test).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AppState, Workspace } from '../state/app-state';
import type { Digits } from '../state/preferences';
import { useStore } from '../state/use-store';
import { translator, type Translate } from './i18n/i18n';

export const AppStateContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (state === null) throw new Error('useAppState outside <AppStateContext.Provider>');
  return state;
}

/** The translate function of the current language; re-renders when the language changes. */
export function useT(): Translate {
  const lang = useStore(useAppState().preferences, (s) => s.lang);
  return translator(lang, useDigits());
}

/** The digits numbers are written in: the user's choice in Arabic, Western in English. */
export function useDigits(): Digits {
  return useStore(useAppState().preferences, (s) => (s.lang === 'ar' ? s.digits : 'latn'));
}

export function useLang() {
  return useStore(useAppState().preferences, (s) => s.lang);
}

/** The unlocked user's data and sync; only screens shown while signed in and unlocked may ask for it. */
export function useWorkspace(): Workspace {
  const workspace = useStore(useAppState().workspace, (s) => s.current);
  if (workspace === null) throw new Error('useWorkspace while locked or signed out');
  return workspace;
}
