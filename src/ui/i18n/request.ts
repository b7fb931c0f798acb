// Messages of the request screen: its steps from reception to delivery (the service and its requirements,
// verification, referral, the declaration and its signature), discarding a draft, the receipt, and telling
// the beneficiary the decision. They travel with that screen's chunk, not with the first screen. The
// procedure's step names, the service types, the declaration and the reply rule are the association's own
// words, from its profile.
import ar from './request.ar.json';
import en from './request.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type RequestKey = keyof typeof ar;
export const requestMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** A message of the request screen, in the current language, with {placeholders} filled. */
export const useRequestT = () => useCatalogue(requestMessages);
