// C-OBJ-6: the one-time ballot a delivery issues, kept sealed on this device until the beneficiary answers
// (or declines) in the kiosk. Kept, so that the representative can hand the tablet over later in the visit,
// from the satisfaction section, and not only on the request's page right after the delivery. The server
// spends a ballot once; a ballot kept here longer than a month is dropped as stale.
import * as z from 'zod/mini';
import type { WaselDb } from '../db/database';
import type { Cipher, Sealed } from '../db/vault';

const KEY = 'ballots';
const MONTH_MS = 30 * 24 * 60 * 60 * 1000;

const keptSchema = z.record(z.string(), z.object({ ballot: z.string(), at: z.number() }));
export type KeptBallots = z.infer<typeof keptSchema>;

export interface Ballots {
  /** Keeps the ballot of request `caseId`'s delivery. */
  keep(caseId: string, ballot: string): Promise<void>;
  /** The ballots not yet handed over, by request. */
  waiting(): Promise<KeptBallots>;
  /** The beneficiary answered or declined: the ballot is no longer offered. */
  drop(caseId: string): Promise<void>;
}

export function createBallots(db: WaselDb, cipher: Cipher, now: () => number): Ballots {
  async function read(): Promise<KeptBallots> {
    const row = await db.meta.get(KEY);
    if (row === undefined) return {};
    const parsed = keptSchema.safeParse(await cipher.open(row.value as Sealed, KEY));
    if (!parsed.success) return {};
    const fresh = now() - MONTH_MS;
    return Object.fromEntries(Object.entries(parsed.data).filter(([, b]) => b.at >= fresh));
  }
  async function write(kept: KeptBallots) {
    await db.meta.put({ key: KEY, value: await cipher.seal(kept, KEY) });
  }
  // One change at a time: each reads what the one before it wrote.
  let queue: Promise<unknown> = Promise.resolve();
  const change = (edit: (kept: KeptBallots) => KeptBallots) => {
    const next = queue.then(async () => {
      await write(edit(await read()));
    });
    queue = next.catch(() => undefined); // the caller sees the failure; the next change still runs
    return next;
  };
  return {
    keep: (caseId, ballot) => change((kept) => ({ ...kept, [caseId]: { ballot, at: now() } })),
    waiting: async () => {
      await queue;
      return read();
    },
    drop: (caseId) =>
      change((kept) => Object.fromEntries(Object.entries(kept).filter(([id]) => id !== caseId))),
  };
}
