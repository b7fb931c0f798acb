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
export type PageMessage = { type: 'SYNC_NOW' };

export function isSyncNow(data: unknown): data is PageMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SYNC_NOW';
}

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
