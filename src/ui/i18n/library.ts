// Messages of the library screen: the association's documents, the staff's sign-off of its policy, and
// telling beneficiaries of changed information. They travel with that screen's chunk.
import ar from './library.ar.json';
import en from './library.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type LibraryKey = keyof typeof ar;
export const libraryMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** A message of the library screen, in the current language, with {placeholders} filled. */
export const useLibraryT = () => useCatalogue(libraryMessages);
