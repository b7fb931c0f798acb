// The sections each role sees on the home screen, in the order of their daily work.
import type { Role } from '../protocol/auth';
import type { MessageKey } from './i18n/i18n';

export type SectionId =
  'worklist' | 'beneficiaries' | 'complaints' | 'research' | 'decisions' | 'dashboard' | 'users' | 'policy';

// Only built screens are offered: a new request and the contact log are taken from the beneficiary's file,
// and satisfaction results are on the supervisor's dashboard.
export const sectionsByRole: Record<Role, readonly SectionId[]> = {
  representative: ['worklist', 'beneficiaries', 'complaints', 'policy'],
  researcher: ['research', 'beneficiaries', 'policy'],
  // The committee keeps escalated complaints' compensation files with the follow-up unit (K-COMP).
  committee: ['decisions', 'complaints', 'beneficiaries', 'policy'],
  supervisor: ['dashboard', 'complaints', 'beneficiaries', 'policy'],
  admin: ['users', 'policy', 'dashboard'],
};

export function sectionTitle(id: SectionId): MessageKey {
  return `section.${id}`;
}

export function sectionPath(id: SectionId): string {
  return `/s/${id}`;
}

/** The section a path points to, if the role may see it. */
export function sectionFromPath(path: string, role: Role): SectionId | undefined {
  const match = /^\/s\/([A-Za-z]+)$/.exec(path);
  return sectionsByRole[role].find((id) => id === match?.[1]);
}
