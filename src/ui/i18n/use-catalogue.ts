// The one translator of the feature catalogues (the request screen's, the console's…): i18n.ts's lookup in
// the current language and digits. Not in i18n.ts, which context.ts imports (the import would go round),
// and which the first screen loads: this travels with the screens that use a feature catalogue.
import type { Lang } from '../../state/preferences';
import { useDigits, useLang } from '../context';
import { catalogueT } from './i18n';

/** One feature's messages, in each language. */
export type Messages<K extends string> = Readonly<Record<Lang, Record<K, string>>>;

/**
 * A feature's messages from its two JSON files (`<feature>.ar.json`, `<feature>.en.json`: flat, key to text,
 * as translators' tools read them), typed so that both have the same keys: a key missing from either fails
 * to compile.
 */
export type Catalogue<Ar, En> = Messages<Extract<keyof Ar | keyof En, string>>;

/** A message of `messages`, in the current language, with {placeholders} filled in the user's digits. */
export function useCatalogue<K extends string>(messages: Messages<K>) {
  return catalogueT(messages[useLang()], useDigits());
}
