// Messages of the screens that read from the server: the dashboard and the administration's staff sign-off
// and devices lists, the notice when such a read fails (ServerState), and the names of the record types
// (`entity.${type}`) the dashboard and the incident report count.
import ar from './oversight.ar.json';
import en from './oversight.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type OversightKey = keyof typeof ar;
export const oversightMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** A message of the dashboard and the administration, in the current language, with {placeholders} filled. */
export const useOversightT = () => useCatalogue(oversightMessages);
