// A device's encrypted store at a fixed clock, and the intake as each role takes it there: the setup the
// casework and intake tests share.
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { WaselDb } from '../../src/db/database';
import { createFilesRepository } from '../../src/db/files-repository';
import { createRecordsRepository } from '../../src/db/records-repository';
import { openMutations } from '../../src/db/sealing';
import { createCipher, randomKeys } from '../../src/db/vault';
import type { Role } from '../../src/protocol/auth';
import { createIntake } from '../../src/state/intake';

export async function deviceIntake(name: string, profile: PolicyProfile, clock: number) {
  const db = new WaselDb(`${name}-${crypto.randomUUID()}`);
  const cipher = createCipher(await randomKeys());
  const records = createRecordsRepository(db, cipher, {
    newId: () => crypto.randomUUID(),
    now: () => clock,
  });
  const files = createFilesRepository(db, cipher, records, () => clock);
  const as = (role: Role, id: string) =>
    createIntake({
      records,
      profile,
      profileVersion: 1,
      actor: { id, role },
      now: () => clock,
      newId: () => crypto.randomUUID(),
    });
  /** The outbox, opened, in order. */
  const outbox = async () => openMutations(cipher, await db.outbox.orderBy('seq').toArray());
  return { db, records, files, as, outbox };
}
