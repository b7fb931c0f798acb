// A record destroyed on the server (a rights request, or the end of its retention) arrives in a pull marked
// purged. The device then removes every trace of it: its copy, and whatever this device made that hangs
// on it (a household member or a contact added offline), their conflicts and rejections, the document files
// only they named, and the content of their unsent and answered mutations. Those mutations keep their
// place in the sequence — a gap would stop the queue — but become empty deletes, which the server answers
// as applied without keeping anything.
import type { AcknowledgedEntry, OutboxEntry, WaselDb } from '../db/database';
import { openRecord, sealMutation } from '../db/sealing';
import type { Cipher } from '../db/vault';

export interface PurgePlan {
  /** Keys of records made on this device, never sent, that hang on a purged record. */
  dependants: string[];
  /** Every purged or dependant record, by entity and id: their reviews go. */
  records: [string, string][];
  /** Document files no remaining record names. */
  files: string[];
  outbox: OutboxEntry[];
  acknowledged: AcknowledgedEntry[];
}

/** What purging these records (by key) removes on this device; read and sealed outside any transaction. */
export async function preparePurge(
  db: WaselDb,
  cipher: Cipher,
  purged: ReadonlySet<string>,
  now: () => number,
): Promise<PurgePlan> {
  const all = await db.records.toArray();
  // Whatever hangs on a purged record, however deep (a report on a case of the beneficiary).
  const gone = new Set([...purged].map((key) => key.slice(key.indexOf(':') + 1)));
  const dependants = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const r of all) {
      // Only what the server never had: a record it has is purged by its own tombstone, or is kept (a
      // case outlives its beneficiary's other records, as a financial record).
      if (r.version !== 0 || purged.has(r.key) || gone.has(r.recordId) || !gone.has(r.parentId)) continue;
      gone.add(r.recordId);
      dependants.add(r.key);
      grew = true;
    }
  }
  const leaving = (r: { key: string }) => purged.has(r.key) || dependants.has(r.key);

  // A file goes when only leaving attachments name it.
  const shaOf = async (stored: (typeof all)[number]) =>
    stored.sealed === null ? null : (await openRecord(cipher, stored)).data?.sha256;
  const attachments = all.filter((r) => r.entity === 'attachment');
  const named = async (rows: typeof all) =>
    new Set((await Promise.all(rows.map(shaOf))).filter((sha) => typeof sha === 'string'));
  const kept = await named(attachments.filter((r) => !leaving(r) && !r.deleted));
  const files = [...(await named(attachments.filter(leaving)))].filter((sha) => !kept.has(sha));

  const at = new Date(now()).toISOString();
  const emptied = async <T extends OutboxEntry>(entries: T[]): Promise<T[]> =>
    Promise.all(
      entries
        .filter((e) => gone.has(e.recordId))
        .map(async (e) => ({
          ...e,
          sealed: await sealMutation(cipher, {
            id: e.mutationId,
            entity: e.entity,
            op: 'delete',
            recordId: e.recordId,
            baseVersion: 0,
            patch: {},
            at,
          }),
        })),
    );
  return {
    dependants: [...dependants],
    records: [...purged, ...dependants].map((key) => {
      const at = key.indexOf(':');
      return [key.slice(0, at), key.slice(at + 1)];
    }),
    files,
    outbox: await emptied(await db.outbox.toArray()),
    acknowledged: await emptied(await db.acknowledged.toArray()),
  };
}

/** Writes a prepared purge; inside the pull's transaction, which also covers these tables. */
export async function commitPurge(db: WaselDb, plan: PurgePlan): Promise<void> {
  await db.records.bulkDelete(plan.dependants);
  await db.outbox.bulkPut(plan.outbox);
  await db.acknowledged.bulkPut(plan.acknowledged);
  for (const table of [db.conflicts, db.rejected])
    await table.where('[entity+recordId]').anyOf(plan.records).delete();
  await db.files.bulkDelete(plan.files);
}
