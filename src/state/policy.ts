// The association's policy profile on this device (issue 19): its own data on the server, versioned. The
// device keeps the version in force, for offline work, and every earlier version a request of its was
// opened under (a request keeps its rules after the profile changes). It arrives with the sign-in, and is
// refreshed after each sync; kept sealed in the user's own database.
import { createStore, type StoreApi } from 'zustand/vanilla';
import * as z from 'zod/mini';
import type { WaselDb } from '../db/database';
import type { Cipher, Sealed } from '../db/vault';
import { profileSchema, type PolicyProfile } from '../domain/profiles/profile';
import { versionedProfileSchema, type VersionedProfileBody } from '../protocol/profile';

const KEY = 'policy';

const keptSchema = z.object({
  current: versionedProfileSchema,
  /** Earlier versions, by number, that requests on this device follow. */
  earlier: z.record(z.string(), profileSchema),
});
type Kept = z.infer<typeof keptSchema>;

export interface PolicyState {
  /** The profile in force; null until the first one is known (a fresh sign-in brings it). */
  current: VersionedProfileBody | null;
  earlier: Record<string, PolicyProfile>;
}

export interface PolicyDeps {
  db: WaselDb;
  cipher: Cipher;
  /** The server's profile: the one in force, or a given version. */
  fetch: (version?: number) => Promise<unknown>;
}

export interface PolicyController {
  store: StoreApi<PolicyState>;
  /** Reads what this device keeps; then, if it keeps nothing, asks the server. */
  load: () => Promise<void>;
  /** Asks the server for the profile in force; a network failure keeps what is kept. */
  refresh: () => Promise<void>;
  /** The profile a request of version `version` follows (the one in force if that version is unknown here). */
  ofVersion: (version: number | undefined) => Promise<PolicyProfile | undefined>;
}

/** Keeps a profile the server sent (at sign-in, before the workspace opens). */
export async function keepProfile(db: WaselDb, cipher: Cipher, raw: unknown): Promise<void> {
  const parsed = versionedProfileSchema.safeParse(raw);
  if (!parsed.success) return;
  const before = await readKept(db, cipher);
  await writeKept(db, cipher, merge(before, parsed.data));
}

async function readKept(db: WaselDb, cipher: Cipher): Promise<Kept | undefined> {
  const record = await db.meta.get(KEY);
  if (record === undefined) return undefined;
  // Sealed under other keys (another user's, a reset vault's): read as none, and fetched again.
  const value = await cipher.open(record.value as Sealed, KEY).catch(() => undefined);
  const parsed = keptSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

async function writeKept(db: WaselDb, cipher: Cipher, kept: Kept): Promise<void> {
  await db.meta.put({ key: KEY, value: await cipher.seal(kept, KEY) });
}

/** The newer profile becomes the one in force; the one it replaces is kept as an earlier version. */
function merge(before: Kept | undefined, next: VersionedProfileBody): Kept {
  if (before === undefined) return { current: next, earlier: {} };
  if (next.version < before.current.version) return before;
  const earlier =
    next.version === before.current.version
      ? before.earlier
      : { ...before.earlier, [String(before.current.version)]: before.current.profile };
  return { current: next, earlier };
}

export function createPolicy({ db, cipher, fetch }: PolicyDeps): PolicyController {
  const store = createStore<PolicyState>(() => ({ current: null, earlier: {} }));

  async function take(raw: unknown) {
    const parsed = versionedProfileSchema.safeParse(raw);
    if (!parsed.success) return;
    const kept = merge(await readKept(db, cipher), parsed.data);
    await writeKept(db, cipher, kept);
    store.setState(kept);
  }

  async function refresh() {
    // Offline or refused: the profile kept on the device stays in force until the next sync.
    const raw = await fetch().catch(() => undefined);
    if (raw !== undefined) await take(raw);
  }

  return {
    store,
    refresh,
    async load() {
      const kept = await readKept(db, cipher);
      if (kept !== undefined) store.setState(kept);
      else await refresh();
    },
    async ofVersion(version) {
      const { current, earlier } = store.getState();
      if (version === undefined || current === null || version === current.version) return current?.profile;
      const known = earlier[String(version)];
      if (known !== undefined) return known;
      // Offline: the request follows the profile in force until that version can be fetched.
      const raw = await fetch(version).catch(() => undefined);
      const parsed = versionedProfileSchema.safeParse(raw);
      if (!parsed.success) return current.profile;
      const kept: Kept = { current, earlier: { ...earlier, [String(version)]: parsed.data.profile } };
      await writeKept(db, cipher, kept);
      store.setState(kept);
      return parsed.data.profile;
    },
  };
}
