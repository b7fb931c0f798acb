// Messages of the beneficiaries: the list (its filters, the duplicate check on registering) and a
// beneficiary's file (the household, the national address, further details, the contact log). They travel
// with those screens' chunks, not with the first screen.
import ar from './beneficiary.ar.json';
import en from './beneficiary.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type BeneficiaryKey = keyof typeof ar;
export const beneficiaryMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** A message of the beneficiary screens, in the current language, with {placeholders} filled. */
export const useBeneficiaryT = () => useCatalogue(beneficiaryMessages);
