// Where a complaint stands, for its complainant and the follow-up unit (K-CMPL-a, K-CMPL-c): received,
// answered by the follow-up unit, settled amicably, or escalated to the investigation and follow-up committee.
/** K-CMPL-a, K-CMPL-b: what reaches the follow-up unit; inquiries and technical support are tickets too. */
export const complaintKinds = ['complaint', 'suggestion', 'inquiry', 'support'] as const;
export type ComplaintKind = (typeof complaintKinds)[number];

export const complaintStates = ['received', 'answered', 'resolved', 'escalated'] as const;
export type ComplaintState = (typeof complaintStates)[number];

/** The state of a complaint as its record stands. */
export function complaintState(c: {
  firstResponseAt: string | null;
  resolution: { outcome: 'amicable' | 'escalated' } | null;
}): ComplaintState {
  if (c.resolution !== null) return c.resolution.outcome === 'escalated' ? 'escalated' : 'resolved';
  return c.firstResponseAt === null ? 'received' : 'answered';
}
