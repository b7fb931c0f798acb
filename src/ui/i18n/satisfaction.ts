// Messages of beneficiary satisfaction: the kiosk where the beneficiary rates a delivered service on the
// tablet, the services waiting for it, the supervisor's results, and the field instruments staff run
// themselves. They travel with those screens.
import ar from './satisfaction.ar.json';
import en from './satisfaction.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type SatisfactionKey = keyof typeof ar;
export const satisfactionMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** A message of satisfaction, in the current language, with {placeholders} filled. */
export const useSatisfactionT = () => useCatalogue(satisfactionMessages);
