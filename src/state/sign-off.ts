// Staff sign-off (K-RESP, K-REL-d): each member of staff reads the current version of the policy and signs
// that they did and will follow it, on their own device, offline if need be. The acknowledgement is a
// record that syncs, with the SHA-256 of the signature drawn; a new version of the policy asks again.
import type { LocalRecord } from '../db/database';
import type { RecordsRepository } from '../db/records-repository';
import type { PolicyAcknowledgement } from '../protocol/entities';

function acknowledgementOf(record: LocalRecord): PolicyAcknowledgement | undefined {
  const data = record.deleted ? null : record.data;
  if (data === null || typeof data.userId !== 'string' || typeof data.policyVersion !== 'string')
    return undefined;
  return data as unknown as PolicyAcknowledgement;
}

/** When `userId` signed version `version` of the policy, if they have. */
export async function signedAt(
  records: RecordsRepository,
  userId: string,
  version: string,
): Promise<string | null> {
  const mine = (await records.list('policy_acknowledgement'))
    .map(acknowledgementOf)
    .filter((a) => a?.userId === userId && a.policyVersion === version);
  return mine[0]?.signedAt ?? null;
}

/** Signs the policy's `version` as `userId`, with the drawn signature's PNG bytes. */
export async function signPolicy(
  records: RecordsRepository,
  input: { userId: string; version: string; signature: ArrayBuffer },
  deps: { now: () => number; newId: () => string },
): Promise<void> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input.signature));
  const acknowledgement: PolicyAcknowledgement = {
    userId: input.userId,
    policyVersion: input.version,
    signedAt: new Date(deps.now()).toISOString(),
    signatureHash: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
  };
  await records.save('policy_acknowledgement', deps.newId(), { ...acknowledgement });
}
