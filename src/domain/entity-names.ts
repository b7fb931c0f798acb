// The names of the synced entities on the wire (lower-case singular). Kept apart from the record schemas,
// which carry the validators and their metadata, so that the sync envelope stays light; the permissions
// module (permissions.ts) names them too.
export const entityNames = [
  'beneficiary',
  'household_member',
  'case',
  'interaction',
  'attachment',
  'research_report',
  'decision',
  'notification',
  'complaint',
  'compensation',
  'survey',
  'survey_response',
  'policy_acknowledgement',
  'holiday',
] as const;
export type EntityName = (typeof entityNames)[number];
