// The sections each role sees on the home screen, in the order of their daily work.
import type { Role } from '../protocol/auth';
import type { MessageKey } from './i18n/i18n';

export type SectionId =
  | 'worklist'
  | 'request'
  | 'beneficiaries'
  | 'contacts'
  | 'satisfaction'
  | 'complaints'
  | 'research'
  | 'decisions'
  | 'dashboard'
  | 'users'
  | 'policy';

// Every section offered opens a working screen. The representative's main job, a support request, starts by
// finding or registering the beneficiary; the contact log spans all beneficiaries; satisfaction is the kiosk
// for those who deliver services and the results for the supervisor.
export const sectionsByRole: Record<Role, readonly SectionId[]> = {
  representative: [
    'worklist',
    'request',
    'beneficiaries',
    'contacts',
    'satisfaction',
    'complaints',
    'policy',
  ],
  researcher: ['research', 'beneficiaries', 'contacts', 'policy'],
  // The committee keeps escalated complaints' compensation files with the follow-up unit (K-COMP).
  committee: ['decisions', 'complaints', 'beneficiaries', 'policy'],
  supervisor: ['dashboard', 'satisfaction', 'complaints', 'beneficiaries', 'policy'],
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
