// Messages of the field day's own sections: a new support request, the contact log across beneficiaries, and
// the worklist with its reminders. They travel with those screens.
import ar from './field.ar.json';
import en from './field.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type FieldKey = keyof typeof ar;
export const fieldMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** A message of the field sections, in the current language, with {placeholders} filled. */
export const useFieldT = () => useCatalogue(fieldMessages);
