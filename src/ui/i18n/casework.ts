// Messages of where a request stands and how it moves on: its status, the procedure's refusals (each code has
// its text, `case.${code}`), the social research report, the decision and its aid, the reply deadline, and
// the queues waiting for research or a decision. The request screen, the sync screen's refusals and a
// beneficiary's requests use them too.
import ar from './casework.ar.json';
import en from './casework.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type CaseworkKey = keyof typeof ar;
export const caseworkMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** The words for where a request stands: a discarded draft is closed, but says it was discarded. */
export function statusKey(request: { status?: unknown; discarded?: unknown }): CaseworkKey {
  if (request.discarded != null) return 'case.status.discarded';
  const key = `case.status.${String(request.status)}`;
  return key in ar ? (key as CaseworkKey) : 'case.status.draft';
}

/** A message of casework, in the current language, with {placeholders} filled. */
export const useCaseworkT = () => useCatalogue(caseworkMessages);
