// Destruction reaches the devices (L-RIGHTS): a beneficiary destroyed on the server disappears from a
// device at its next sync, with the changes the device made offline on top of it — and nothing of it is
// sent back, resurrected or left for review.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
// First: it installs fake-indexeddb, which Dexie must find when it loads.
import { makeClient, serverView, type RigClient } from './sync-faults';
import { createFilesRepository } from '../../src/db/files-repository';
import { openMutations, openRecord } from '../../src/db/sealing';
import { RIGHTS_PATH } from '../../src/protocol/rights';
import { useKadiTestApp } from './helpers';

const env = useKadiTestApp();

/** Everything the device holds, opened: records, queued and answered mutations, reviews. */
async function everythingOn(client: RigClient): Promise<string> {
  const { db, cipher } = client;
  const records = await Promise.all((await db.records.toArray()).map((r) => openRecord(cipher, r)));
  const mutations = await openMutations(cipher, [
    ...(await db.outbox.toArray()),
    ...(await db.acknowledged.toArray()),
  ]);
  const reviews = [...(await client.repo.conflicts()), ...(await client.repo.rejected())];
  return JSON.stringify({ records, mutations, reviews });
}

it('removes a destroyed file from a device, with what the device added to it offline', async () => {
  const rep = await makeClient(env.app, 'kadi.rep1', env.direct);
  const files = createFilesRepository(rep.db, rep.cipher, rep.repo, () => Date.now());
  const beneficiaryId = randomUUID();
  const keptId = randomUUID();
  const person = (fullName: string) => ({
    branchId: env.branch.b1,
    fullName,
    nationalId: '1000000008',
    mobile: '+966501234567',
  });
  await rep.repo.save('beneficiary', beneficiaryId, person('جواهر المطيري'));
  await rep.repo.save('beneficiary', keptId, person('بشرى الزهراني'));
  const contactId = randomUUID();
  await rep.repo.save('interaction', contactId, {
    beneficiaryId,
    channel: 'interview',
    summary: 'زيارة منزلية لجواهر',
    occurredAt: new Date().toISOString(),
  });
  const photo = new TextEncoder().encode('صورة هوية جواهر').buffer;
  const { sha256 } = await files.attach({
    data: photo,
    mimeType: 'image/jpeg',
    kind: 'document',
    beneficiaryId,
    caseId: null,
    requirementId: null,
  });
  await rep.flushUntilDone();
  expect(await rep.repo.pendingCount()).toBe(0);

  // Offline, the representative keeps working on the file…
  await rep.repo.save('beneficiary', beneficiaryId, { mobile: '+966551234567' });
  const memberId = randomUUID();
  await rep.repo.save('household_member', memberId, {
    beneficiaryId,
    name: { first: 'ليان', father: 'سعد', grandfather: 'محمد', family: 'المطيري' },
    relation: 'daughter',
    birthDate: '2016-05-01',
    collectedViaHead: true,
  });
  expect(await rep.repo.pendingCount()).toBe(2);

  // …while the beneficiary's request to destroy their data is carried out.
  const destroyed = await env.app.request(`${RIGHTS_PATH}/${beneficiaryId}/destroy`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${await env.tokenOf('kadi.supervisor')}`,
    },
    body: JSON.stringify({ reason: 'طلب المستفيدة' }),
  });
  expect(destroyed.status).toBe(200);

  // Back online: the next sync pushes the offline changes (refused), then pulls the destruction.
  await rep.flushUntilDone();
  await rep.flushUntilDone();
  expect(await rep.repo.pendingCount()).toBe(0);
  expect(await rep.repo.get('beneficiary', beneficiaryId)).toMatchObject({ deleted: true, data: null });
  expect(await rep.repo.get('interaction', contactId)).toMatchObject({ deleted: true, data: null });
  expect(await rep.repo.get('household_member', memberId)).toBeUndefined();
  expect(await files.get(sha256)).toBeUndefined();
  const held = await everythingOn(rep);
  for (const trace of ['جواهر', 'ليان', '+966551234567', sha256]) expect(held).not.toContain(trace);
  // Nothing to review: the refusals concern data that no longer exists.
  expect(await rep.repo.rejected()).toEqual([]);
  expect(await rep.repo.conflicts()).toEqual([]);

  // The other beneficiary is untouched, and the device agrees with the server.
  expect((await rep.repo.get('beneficiary', keptId))?.data).toMatchObject({ fullName: 'بشرى الزهراني' });
  const server = await serverView(env.app, 'kadi.rep1');
  expect(server.has(`beneficiary:${beneficiaryId}`)).toBe(false);
  expect(server.has(`household_member:${memberId}`)).toBe(false);
});
