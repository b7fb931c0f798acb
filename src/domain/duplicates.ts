// Duplicate beneficiaries: the same national ID is a duplicate; the same folded four-part name with the
// same birth date, or the same mobile number, is a likely duplicate the representative is warned about.
import { foldArabic } from './arabic-search';
import { normalizeDigits } from './digits';

export interface DuplicateCandidate {
  id: string;
  fullName: string;
  nationalId?: string | undefined;
  birthDate?: string | undefined;
  /** E.164 */
  mobile?: string | undefined;
}

export type DuplicateReason = 'national_id' | 'name_and_birth_date' | 'mobile';

export interface DuplicateMatch {
  id: string;
  level: 'duplicate' | 'likely';
  reasons: DuplicateReason[];
}

const present = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/** Matches of `candidate` among `existing` (itself excluded), duplicates first. */
export function findDuplicates(
  candidate: DuplicateCandidate,
  existing: readonly DuplicateCandidate[],
): DuplicateMatch[] {
  const id = present(candidate.nationalId) ? normalizeDigits(candidate.nationalId).trim() : undefined;
  const name = foldArabic(candidate.fullName);
  const matches: DuplicateMatch[] = [];
  for (const other of existing) {
    if (other.id === candidate.id) continue;
    const reasons: DuplicateReason[] = [];
    if (id !== undefined && present(other.nationalId) && normalizeDigits(other.nationalId).trim() === id) {
      reasons.push('national_id');
    }
    if (
      name !== '' &&
      present(candidate.birthDate) &&
      candidate.birthDate === other.birthDate &&
      foldArabic(other.fullName) === name
    ) {
      reasons.push('name_and_birth_date');
    }
    if (present(candidate.mobile) && candidate.mobile === other.mobile) reasons.push('mobile');
    if (reasons.length > 0) {
      matches.push({
        id: other.id,
        level: reasons.includes('national_id') ? 'duplicate' : 'likely',
        reasons,
      });
    }
  }
  return matches.sort((a, b) => (a.level === b.level ? 0 : a.level === 'duplicate' ? -1 : 1));
}
