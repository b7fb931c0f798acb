// Messages of the administrator's console (issue 19): people, branches, the policy and its library. They
// travel with the console's chunk only.
import ar from './console.ar.json';
import en from './console.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type ConsoleKey = keyof typeof ar;
export const consoleMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** A message of the console, in the current language, with {placeholders} filled. */
export const useConsoleT = () => useCatalogue(consoleMessages);
