// The sync status that the worker (or a page syncing by itself) broadcasts to every page, and the names
// they meet under. Kept apart from the runner so that the first screen loads the shape, not the engine.

export const SYNC_CHANNEL = 'wasel-sync';
export const SYNC_TAG = 'wasel-sync';

export type SyncPhase = 'idle' | 'syncing' | 'offline' | 'error' | 'signedOut';

export interface SyncStatus {
  phase: SyncPhase;
  pending: number;
  /** Files (document photos, signatures) waiting to be uploaded. */
  files: number;
  conflicts: number;
  rejected: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** While syncing: mutations answered so far out of those pending when the flush started. */
  progress: { done: number; total: number } | null;
  /** When the next automatic attempt is due (epoch ms), after a failure. */
  retryAt: number | null;
}

export type SyncMessage = { type: 'status'; status: SyncStatus };

/**
 * A page asks the worker to sync one user's data, lending it that user's keys (non-extractable
 * CryptoKeys, which cross postMessage as keys, never as bytes). The worker keeps them only until the
 * page locks (LOCK) or the browser stops the worker; a locked device never syncs (see vault.ts).
 */
export type PageMessage =
  { type: 'SYNC_NOW'; userId: string; keys: { data: CryptoKey; index: CryptoKey } } | { type: 'LOCK' };

function typeOf(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
}

export function isSyncNow(data: unknown): data is Extract<PageMessage, { type: 'SYNC_NOW' }> {
  if (typeOf(data) !== 'SYNC_NOW') return false;
  const { userId, keys } = data as { userId?: unknown; keys?: { data?: unknown; index?: unknown } };
  return typeof userId === 'string' && keys?.data instanceof CryptoKey && keys.index instanceof CryptoKey;
}

export const isLock = (data: unknown): data is Extract<PageMessage, { type: 'LOCK' }> =>
  typeOf(data) === 'LOCK';

/** Before anything is known: idle, nothing counted yet. */
export const initialSyncStatus: SyncStatus = {
  phase: 'idle',
  pending: 0,
  files: 0,
  conflicts: 0,
  rejected: 0,
  lastSuccessAt: null,
  lastError: null,
  progress: null,
  retryAt: null,
};
