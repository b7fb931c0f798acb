// Every clause of the five policies and of the PDPL obligations (shared/POLICY.md), as data, with where it
// is implemented or which issue owns it. The coverage test fails if a clause has neither.

export type ClauseOwner =
  { modules: readonly string[]; issue?: number } | { modules?: undefined; issue: number };

export interface Clause {
  id: string;
  summary: string;
  owner: ClauseOwner;
}

const range = (prefix: string, items: readonly (string | number)[]) => items.map((i) => `${prefix}${i}`);

// Issues of the plan: 4 sync, 5 privacy, 6 the representative's day, 7 the rest of the policy, 8 benchmarks.
const ISSUE = { sync: 4, privacy: 5, field: 6, rest: 7 } as const;
const PROFILES = 'src/domain/profiles/profile.ts';

const common: Clause[] = [
  {
    id: 'C-PRE',
    summary: 'policy text and version readable offline',
    owner: { modules: [PROFILES], issue: ISSUE.rest },
  },
  { id: 'C-GOAL', summary: 'proactive outreach: visit plan and worklist', owner: { issue: ISSUE.field } },
  {
    id: 'C-OBJ-1',
    summary: 'needs assessment; categories per profile',
    owner: { modules: [PROFILES], issue: ISSUE.field },
  },
  {
    id: 'C-OBJ-2',
    summary: 'offline-first installable app',
    owner: { modules: ['sw/sw.ts', 'public/manifest.webmanifest'] },
  },
  {
    id: 'C-OBJ-3',
    summary: 'inquiries logged with the answer; reference library',
    owner: { issue: ISSUE.field },
  },
  { id: 'C-OBJ-4', summary: 'home visits recorded offline', owner: { issue: ISSUE.field } },
  { id: 'C-OBJ-5', summary: 'satisfaction surveys and results', owner: { issue: ISSUE.rest } },
  {
    id: 'C-OBJ-6',
    summary: 'right to evaluate; anonymous surveys; suggestions',
    owner: { issue: ISSUE.rest },
  },
  ...range('C-CH-', [1, 2, 3, 4, 5, 6, 7, 8]).map((id) => ({
    id,
    summary: 'contact channel of the common text',
    owner: { modules: [PROFILES], issue: ISSUE.field },
  })),
  ...range('C-TOOL-', [1, 2, 3]).map((id) => ({
    id,
    summary: 'reference document in the offline library',
    owner: { modules: [PROFILES], issue: ISSUE.field },
  })),
  {
    id: 'C-TOOL-4',
    summary: 'the beneficiary support request form',
    owner: { modules: [PROFILES, 'src/domain/case-machine.ts'], issue: ISSUE.field },
  },
  {
    id: 'C-PROC-1',
    summary: 'reception step; inquiries answered',
    owner: { modules: ['src/domain/case-machine.ts'], issue: ISSUE.field },
  },
  {
    id: 'C-PROC-2',
    summary: 'completeness checklist and validation at submission',
    owner: {
      modules: ['src/domain/case-machine.ts', 'src/domain/national-id.ts', 'src/domain/phone.ts'],
      issue: ISSUE.field,
    },
  },
  {
    id: 'C-PROC-3',
    summary: 'referral to the social research officer',
    owner: { modules: ['src/domain/case-machine.ts'], issue: ISSUE.field },
  },
  {
    id: 'C-PROC-4',
    summary: 'declaration signed over the exact data',
    owner: { modules: ['src/domain/case-machine.ts'], issue: ISSUE.field },
  },
  {
    id: 'C-PROC-5',
    summary: 'research committee; reply not less than two weeks',
    owner: { modules: ['src/domain/deadline.ts'], issue: ISSUE.rest },
  },
  {
    id: 'C-PROC-6',
    summary: 'registration completes when the checklist is complete',
    owner: { modules: ['src/domain/case-machine.ts'] },
  },
  {
    id: 'C-PROC-7',
    summary: 'service delivery recorded after acceptance',
    owner: { modules: ['src/domain/case-machine.ts'], issue: ISSUE.rest },
  },
  { id: 'C-APPROVAL', summary: 'board approval of the policy', owner: { modules: [PROFILES] } },
];

const kadi: Clause[] = [
  {
    id: 'K-ART1',
    summary: 'purpose: both parties rights',
    owner: { modules: [PROFILES], issue: ISSUE.rest },
  },
  {
    id: 'K-ART2',
    summary: 'scope: every employee dealing with beneficiaries',
    owner: { modules: ['src/protocol/auth.ts'] },
  },
  ...range('K-CH-', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']).map((id) => ({
    id,
    summary: "Kadi's contact channel",
    owner: { modules: [PROFILES], issue: ISSUE.field },
  })),
  ...range('K-TOOL-', ['a', 'b', 'c', 'd', 'e', 'f']).map((id) => ({
    id,
    summary: "Kadi's tools and service request form",
    owner: { modules: [PROFILES], issue: ISSUE.field },
  })),
  {
    id: 'K-PROC-a',
    summary: 'good reception, accurate answers',
    owner: { modules: ['src/domain/case-machine.ts'], issue: ISSUE.field },
  },
  {
    id: 'K-PROC-b',
    summary: 'criteria and requirements shown and shared',
    owner: { modules: [PROFILES, 'src/domain/case-machine.ts'], issue: ISSUE.field },
  },
  {
    id: 'K-PROC-c',
    summary: 'complete before the beneficiary leaves, or a recorded exception',
    owner: { modules: ['src/domain/case-machine.ts'], issue: ISSUE.field },
  },
  {
    id: 'K-PROC-d',
    summary: 'accuracy confirmed and signed',
    owner: { modules: ['src/domain/case-machine.ts'], issue: ISSUE.field },
  },
  {
    id: 'K-PROC-e',
    summary: 'preferred contact channel; notifications recorded',
    owner: { modules: ['src/protocol/entities.ts'], issue: ISSUE.rest },
  },
  {
    id: 'K-PROC-f',
    summary: 'reply within 15 working days of completion',
    owner: { modules: ['src/domain/deadline.ts', 'src/domain/working-days.ts'] },
  },
  ...range('K-COMP-', ['a', 'b', 'c']).map((id) => ({
    id,
    summary: 'compensation case',
    owner: { modules: ['src/protocol/entities.ts'], issue: ISSUE.rest },
  })),
  ...range('K-CMPL-', ['a', 'b', 'c']).map((id) => ({
    id,
    summary: 'complaints and support',
    owner: { modules: ['src/protocol/entities.ts'], issue: ISSUE.rest },
  })),
  { id: 'K-REL-a', summary: 'intellectual property of beneficiaries', owner: { issue: ISSUE.privacy } },
  {
    id: 'K-REL-b',
    summary: 'privacy and confidentiality',
    owner: { modules: [PROFILES], issue: ISSUE.privacy },
  },
  {
    id: 'K-REL-c',
    summary: 'rights honoured when due: deadlines and reminders',
    owner: { modules: ['src/domain/deadline.ts'], issue: ISSUE.field },
  },
  { id: 'K-REL-d', summary: 'professional ethics code acknowledged', owner: { issue: ISSUE.rest } },
  {
    id: 'K-INFO-a',
    summary: 'contact officer per category and domain',
    owner: { modules: [PROFILES], issue: ISSUE.rest },
  },
  { id: 'K-INFO-b', summary: 'contact channels', owner: { modules: [PROFILES] } },
  { id: 'K-INFO-c', summary: 'changed information updated and notified', owner: { issue: ISSUE.rest } },
  ...range('K-SAT-', ['a', 'b', 'c', 'd', 'e', 'f']).map((id) => ({
    id,
    summary: 'satisfaction measurement method',
    owner: { modules: [PROFILES], issue: ISSUE.rest },
  })),
  {
    id: 'K-RESP',
    summary: 'every employee reads and signs the policy',
    owner: { modules: ['src/protocol/entities.ts'], issue: ISSUE.rest },
  },
];

const law: Clause[] = [
  {
    id: 'L-CONSENT',
    summary: 'consent with the privacy notice version',
    owner: { modules: ['src/protocol/entities.ts', 'src/domain/privacy-notice.ts'], issue: ISSUE.field },
  },
  { id: 'L-MIN', summary: 'each service declares the fields it needs', owner: { modules: [PROFILES] } },
  { id: 'L-RIGHTS', summary: 'access, correction, destruction', owner: { issue: ISSUE.privacy } },
  { id: 'L-RETAIN', summary: 'retention per record type', owner: { issue: ISSUE.privacy } },
  {
    id: 'L-SENSITIVE',
    summary: 'sensitive fields restricted by role',
    owner: { modules: [PROFILES], issue: ISSUE.privacy },
  },
  { id: 'L-BREACH', summary: 'audit good enough to tell what was exposed', owner: { issue: ISSUE.privacy } },
];

/** All clauses, in the order of POLICY.md. */
export const clauses: readonly Clause[] = [...common, ...kadi, ...law];

export const commonClauseIds: readonly string[] = common.map((c) => c.id);
export const kadiClauseIds: readonly string[] = kadi.map((c) => c.id);
export const lawClauseIds: readonly string[] = law.map((c) => c.id);
