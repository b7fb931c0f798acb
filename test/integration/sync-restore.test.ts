// The association's server restored from a backup older than some changes it had acknowledged: the
// device still has them (answered mutations are kept for 30 days) and sends them again, so the restore
// loses nothing that any device still holds.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { renewSyncEpochs } from '../../server/store/versions';
import { useKadiTestApp } from './helpers';
import { clientView, makeClient, serverView } from './sync-faults';

const env = useKadiTestApp();
const branch = env.branch;
const direct = env.direct;
const syncTables = [
  'records',
  'sync_clients',
  'association_versions',
  'sync_rejections',
  'sync_conflicts',
] as const;

/** A backup of the sync state, as a nightly dump would be. */
async function backup(name: string) {
  for (const table of syncTables) {
    await env.db.exec(
      `DROP TABLE IF EXISTS ${name}_${table}; CREATE TABLE ${name}_${table} AS SELECT * FROM ${table}`,
    );
  }
}

/** Restores the backup: everything after it is gone from the server. Then a new sync epoch, as the restore does. */
async function restore(name: string) {
  for (const table of syncTables) {
    await env.db.exec(`DELETE FROM ${table}; INSERT INTO ${table} SELECT * FROM ${name}_${table}`);
  }
  await renewSyncEpochs(env.db);
}

const person = (n: number) => ({
  branchId: branch.b1,
  fullName: `مستفيد ${n}`,
  nationalId: '1000000008',
  mobile: '+966501234567',
});

it('the device sends again what the restored server lost; every device then agrees', async () => {
  const rep1 = await makeClient(env.app, 'kadi.rep1', direct);
  const colleague = await makeClient(env.app, 'kadi.rep1b', direct);
  const a = randomUUID();
  const b = randomUUID();
  await rep1.repo.save('beneficiary', a, person(1));
  await rep1.engine.flush();
  await backup('nightly');

  // After the backup: a new beneficiary, a correction, both acknowledged by the server.
  await rep1.repo.save('beneficiary', b, person(2));
  await rep1.repo.save('beneficiary', a, { mobile: '+966551234567' });
  await rep1.engine.flush();
  await colleague.engine.flush();
  expect((await serverView(env.app, 'kadi.supervisor')).size).toBe(2);

  await restore('nightly');
  expect((await serverView(env.app, 'kadi.supervisor')).size).toBe(1);

  // The next change meets a server that expects seq 2 again: 2 and 3 are sent again, then 4.
  await rep1.repo.save('beneficiary', randomUUID(), person(3));
  await rep1.engine.flush();
  const server = await serverView(env.app, 'kadi.supervisor');
  expect(server.size).toBe(3);
  expect(server.get(`beneficiary:${a}`)).toMatchObject({ mobile: '+966551234567' });
  expect(await clientView(rep1)).toEqual(server);
  expect(await rep1.db.outbox.count()).toBe(0);
  expect((await rep1.db.records.toArray()).every((r) => r.pending === 0)).toBe(true);
  // All four answered mutations are kept (for 30 days), in case of another restore.
  expect((await rep1.db.acknowledged.toArray()).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  // The colleague's device, whose cursor is now ahead of the server, starts over and agrees too.
  await colleague.engine.flush();
  expect(await clientView(colleague)).toEqual(server);
});

it('a device with nothing left to send still hands the restored server what it lost; each device pulls anew', async () => {
  const rep1 = await makeClient(env.app, 'kadi.rep1', direct);
  const colleague = await makeClient(env.app, 'kadi.rep1b', direct);
  const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()] as const;
  await rep1.repo.save('beneficiary', a, person(11));
  await rep1.engine.flush();
  await colleague.engine.flush();
  await backup('quiet');
  // After the backup: rep1 sends b and then has nothing left to send; the colleague sends c.
  await rep1.repo.save('beneficiary', b, person(12));
  await rep1.engine.flush();
  await colleague.repo.save('beneficiary', c, person(13));
  await colleague.engine.flush();
  await restore('quiet');

  // The colleague sends its lost c again (seq_gap) and its new d before it pulls, moving the restored
  // server's versions past its old cursor: the new epoch still sends it back to the start.
  await colleague.repo.save('beneficiary', d, person(14));
  await colleague.engine.flush();
  // rep1 has nothing waiting; its sync still gives the server b again.
  expect(await rep1.db.outbox.count()).toBe(0);
  await rep1.engine.flush();
  await colleague.engine.flush();

  const server = await serverView(env.app, 'kadi.supervisor');
  for (const id of [a, b, c, d]) expect(server.has(`beneficiary:${id}`)).toBe(true);
  expect(await clientView(rep1)).toEqual(await serverView(env.app, 'kadi.rep1'));
  expect(await clientView(colleague)).toEqual(await serverView(env.app, 'kadi.rep1b'));
  expect(await rep1.db.outbox.count()).toBe(0);
});

it('if the device no longer has what the server lost, it stops with a sequence error and keeps its outbox', async () => {
  const rep1 = await makeClient(env.app, 'kadi.rep1', direct);
  await rep1.repo.save('beneficiary', randomUUID(), person(4));
  await rep1.engine.flush();
  await backup('older');
  await rep1.repo.save('beneficiary', randomUUID(), person(5));
  await rep1.engine.flush();
  await restore('older');
  // The answered mutation was forgotten (older than the retention).
  await rep1.db.acknowledged.clear();

  const pendingId = randomUUID();
  await rep1.repo.save('beneficiary', pendingId, person(6));
  await expect(rep1.engine.flush()).rejects.toThrow(/seq/);
  expect((await rep1.db.outbox.toArray()).map((e) => e.recordId)).toEqual([pendingId]);
});

it('a change refused before the restore and sent again is still one entry to review', async () => {
  const rep1 = await makeClient(env.app, 'kadi.rep1', direct);
  await rep1.repo.save('beneficiary', randomUUID(), person(7));
  await rep1.engine.flush();
  await backup('before_refusal');
  await rep1.repo.save('beneficiary', randomUUID(), { ...person(8), nationalId: '1000000000' });
  await rep1.engine.flush();
  expect(await rep1.db.rejected.count()).toBe(1);
  await restore('before_refusal');

  await rep1.repo.save('beneficiary', randomUUID(), person(9));
  await rep1.engine.flush();
  expect(await rep1.db.rejected.count()).toBe(1);
  expect(await rep1.db.outbox.count()).toBe(0);
});
