// The whole sync stack over one database: API client, tokens, engine and runner. The service worker
// builds it; a page builds it too where no worker controls it (first visit, or no service worker).
import type { WaselDb } from '../db/database';
import { createSessionRepository, type DeviceRepository } from '../db/meta-repository';
import type { Cipher } from '../db/vault';
import { createApiClient } from './api-client';
import { createSyncEngine } from './engine';
import type { LockRunner } from './locks';
import { createSyncRunner } from './runner';
import type { SyncMessage } from './status';
import { createTokenSource } from './tokens';

export interface SyncStackDeps {
  /** The signed-in user's database and keys. */
  db: WaselDb;
  cipher: Cipher;
  device: Pick<DeviceRepository, 'deviceId'>;
  lock: LockRunner;
  newId: () => string;
  now: () => number;
  post: (message: SyncMessage) => void;
  fetch?: typeof fetch;
}

export function createSyncStack(deps: SyncStackDeps) {
  const api = createApiClient(deps.fetch === undefined ? {} : { fetch: deps.fetch });
  const meta = createSessionRepository(deps.db, deps.cipher, deps.device);
  const accessToken = createTokenSource({ meta, api, lock: deps.lock, now: deps.now });
  const engine = createSyncEngine({
    db: deps.db,
    cipher: deps.cipher,
    transport: {
      push: async (request) => api.push(await accessToken(), request),
      pull: async (cursor, limit) => api.pull(await accessToken(), cursor, limit),
    },
    lock: deps.lock,
    newId: deps.newId,
    now: deps.now,
  });
  const runner = createSyncRunner({
    db: deps.db,
    engine,
    post: deps.post,
    now: deps.now,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  });
  return { engine, runner };
}
