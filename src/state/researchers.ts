// The researchers a request may be referred to by name (C-PROC-3), kept sealed on the device so that a
// representative offline at a beneficiary's door can still name one. Refreshed after each sync; the server
// checks every named referral against its own list, so a stale list can only lead to a loud refusal.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { WaselDb } from '../db/database';
import type { Cipher, Sealed } from '../db/vault';
import { researchersResponseSchema, type ResearchersResponse } from '../protocol/researchers';

const KEY = 'researchers';

export type Researcher = ResearchersResponse['researchers'][number];

export interface ResearchersController {
  store: StoreApi<{ list: readonly Researcher[] }>;
  /** What the device keeps, then what the server says (offline: what is kept stays). */
  load: () => Promise<void>;
  refresh: () => Promise<void>;
}

export function createResearchers(deps: {
  db: WaselDb;
  cipher: Cipher;
  fetch: () => Promise<unknown>;
}): ResearchersController {
  const { db, cipher } = deps;
  const store = createStore<{ list: readonly Researcher[] }>(() => ({ list: [] }));
  const take = (raw: unknown) => {
    const parsed = researchersResponseSchema.safeParse(raw);
    return parsed.success ? parsed.data.researchers : undefined;
  };
  async function refresh() {
    // Offline or refused: the list kept stays until the next sync.
    const list = take(await deps.fetch().catch(() => undefined));
    if (list === undefined) return;
    await db.meta.put({ key: KEY, value: await cipher.seal({ researchers: list }, KEY) });
    store.setState({ list });
  }
  return {
    store,
    refresh,
    async load() {
      const kept = await db.meta.get(KEY);
      // Sealed under other keys (another user's): read as none.
      const opened =
        kept === undefined ? undefined : await cipher.open(kept.value as Sealed, KEY).catch(() => undefined);
      const list = take(opened);
      if (list !== undefined) store.setState({ list });
      await refresh();
    },
  };
}
