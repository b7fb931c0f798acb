// Bundled by the benchmark and run inside Chromium: the app's own sync engine, records repository and
// sealing (the code the service worker runs) for the offline edits pushed up, and the raw IndexedDB floor.
// Exposes window.waselSyncBench.
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';
import { createApiClient } from '../../src/sync/api-client';
import { createSyncEngine, type SyncEngine } from '../../src/sync/engine';
import { browserLocks } from '../../src/sync/locks';
import { households } from './dataset';
import { plainRow } from './plain-row';

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await fn();
  return [performance.now() - started, result];
}

let state:
  | {
      engine: SyncEngine;
      repo: ReturnType<typeof createRecordsRepository>;
      db: WaselDb;
      pull: { on: boolean };
    }
  | undefined;
const need = () => {
  if (state === undefined) throw new Error('not set up');
  return state;
};

const waselSyncBench = {
  /** Signs in and pulls everything into a fresh database with the app's engine. */
  async setup(username: string, password: string, name: string) {
    const api = createApiClient();
    const session = await api.login({
      username,
      password,
      deviceId: crypto.randomUUID(),
      deviceName: 'bench',
    });
    const db = new WaselDb(name);
    await db.open();
    const cipher = createCipher(await randomKeys());
    const pull = { on: true };
    const engine = createSyncEngine({
      db,
      cipher,
      transport: {
        push: (request) => api.push(session.accessToken, request),
        // Switched off to time the push alone: the engine pulls after every push.
        pull: (cursor, limit) =>
          pull.on
            ? api.pull(session.accessToken, cursor, limit)
            : Promise.resolve({ changes: [], cursor, hasMore: false }),
      },
      lock: browserLocks(navigator.locks),
      newId: () => crypto.randomUUID(),
      now: () => Date.now(),
    });
    const repo = createRecordsRepository(db, cipher, {
      newId: () => crypto.randomUUID(),
      now: () => Date.now(),
    });
    state = { engine, repo, db, pull };
    const [ms, report] = await timed(() => engine.flush());
    return { ms, count: report.pulled };
  },
  /** `n` beneficiaries edited offline through the repository the screens use (sealed, queued). */
  async edit(n: number) {
    const { repo } = need();
    const people = (await repo.list('beneficiary')).slice(0, n);
    const [ms] = await timed(async () => {
      for (const p of people) await repo.save('beneficiary', p.recordId, { nextVisitOn: '2026-12-01' });
    });
    return { ms, count: people.length };
  },
  /** The outbox goes up (the engine's push, without its pull). */
  async push() {
    const s = need();
    s.pull.on = false;
    const [ms, report] = await timed(() => s.engine.flush());
    s.pull.on = true;
    return { ms, written: report.applied };
  },
  /** After a push the app pulls its own changes back at their new versions: timed apart. */
  async pullBack() {
    const [ms, report] = await timed(() => need().engine.flush());
    return { ms, count: report.pulled };
  },
  /**
   * The floor: the same households, in the shape and with the indexes of the app's records table (search
   * tokens, filter tags, agenda, unsealed), put
   * with raw IndexedDB in one transaction, nothing sealed and no sync around it.
   */
  async floor(count: number, name: string) {
    const now = new Date().toISOString();
    const rows = households(count, {
      branchId: '8f1c2d3e-4f50-4a61-8b72-9c83d4e5f603',
      userId: '8f1c2d3e-4f50-4a61-8b72-9c83d4e5f604',
      channels: ['phone'],
      categories: ['family'],
    }).map((r, i) =>
      plainRow({
        key: `${r.entity}:${r.recordId}`,
        entity: r.entity,
        recordId: r.recordId,
        version: i + 1,
        deleted: false,
        data: r.data,
        pending: 0,
        updatedAt: now,
        parentId: typeof r.data.beneficiaryId === 'string' ? r.data.beneficiaryId : '',
      }),
    );
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => {
        const store = open.result.createObjectStore('records', { keyPath: 'key' });
        store.createIndex('tokens', 'tokens', { multiEntry: true });
        store.createIndex('[entity+updatedAt]', ['entity', 'updatedAt']);
        store.createIndex('[entity+parentId]', ['entity', 'parentId']);
        store.createIndex('agenda', 'agenda', { multiEntry: true });
      };
      open.onsuccess = () => {
        resolve(open.result);
      };
      open.onerror = () => {
        reject(new Error(String(open.error)));
      };
    });
    const [ms] = await timed(
      () =>
        new Promise<void>((resolve, reject) => {
          const tx = db.transaction('records', 'readwrite');
          const store = tx.objectStore('records');
          for (const r of rows) store.put(r);
          tx.oncomplete = () => {
            resolve();
          };
          tx.onerror = () => {
            reject(new Error(String(tx.error)));
          };
        }),
    );
    db.close();
    return { ms, count: rows.length };
  },
};

declare global {
  interface Window {
    waselSyncBench: typeof waselSyncBench;
  }
}
window.waselSyncBench = waselSyncBench;
