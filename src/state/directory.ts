// The association's directory on the device (protocol/directory.ts): its branches and the researchers a
// request may be referred to by name (C-PROC-3), kept sealed so that a representative offline at a
// beneficiary's door can still name one. Refreshed after each sync; the server checks every named referral
// against its own tables, so a stale list can only lead to a loud refusal.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { WaselDb } from '../db/database';
import type { Cipher, Sealed } from '../db/vault';
import { directoryResponseSchema, type DirectoryResponse } from '../protocol/directory';

const KEY = 'directory';

export type Researcher = DirectoryResponse['researchers'][number];
export type Branch = DirectoryResponse['branches'][number];

export interface DirectoryController {
  store: StoreApi<DirectoryResponse>;
  /** What the device keeps, then what the server says (offline: what is kept stays). */
  load: () => Promise<void>;
  refresh: () => Promise<void>;
}

export function createDirectory(deps: {
  db: WaselDb;
  cipher: Cipher;
  fetch: () => Promise<unknown>;
}): DirectoryController {
  const { db, cipher } = deps;
  const store = createStore<DirectoryResponse>(() => ({ branches: [], researchers: [] }));
  const take = (raw: unknown) => {
    const parsed = directoryResponseSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  };
  async function refresh() {
    // Offline or refused: what is kept stays until the next sync.
    const directory = take(await deps.fetch().catch(() => undefined));
    if (directory === undefined) return;
    await db.meta.put({ key: KEY, value: await cipher.seal(directory, KEY) });
    store.setState(directory);
  }
  return {
    store,
    refresh,
    async load() {
      const kept = await db.meta.get(KEY);
      // Sealed under other keys (another user's): read as none.
      const opened =
        kept === undefined ? undefined : await cipher.open(kept.value as Sealed, KEY).catch(() => undefined);
      const directory = take(opened);
      if (directory !== undefined) store.setState(directory);
      await refresh();
    },
  };
}
