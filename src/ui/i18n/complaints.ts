// Messages of complaints, suggestions and inquiries, and of the compensation file an escalated complaint
// opens; the dashboard names the kinds of complaint with them too.
import ar from './complaints.ar.json';
import en from './complaints.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type ComplaintKey = keyof typeof ar;
export const complaintMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** A message of the complaints screen, in the current language, with {placeholders} filled. */
export const useComplaintT = () => useCatalogue(complaintMessages);
