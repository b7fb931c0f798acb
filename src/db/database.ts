// The app's Dexie databases: one for the device (its id and the users' wrapped keys) and one per user
// who signs in on it (their sealed data and sync state).
import { Dexie, type EntityTable, type IndexableType, type Table } from 'dexie';
import type { AttachmentMimeType } from '../protocol/attachments';
import { DEVICE_DB_NAME } from './names';
import type { EntityName } from '../protocol/entities';
import type { Mutation, PushResult } from '../protocol/sync';
import type { PasskeyKeys, RecoveryKeys, Sealed, WrappedKeys } from './vault';

/** Small keyed values: device id, sealed session, sync client id, next seq, pull cursor, last sync. */
export interface MetaRecord {
  key: string;
  value: unknown;
}

/** A synced record as this device has it: the server's copy with this device's pending changes on top. */
export interface LocalRecord {
  /** `${entity}:${recordId}` */
  key: string;
  entity: EntityName;
  recordId: string;
  /** The server version this copy is based on; 0 when the server has never confirmed it. */
  version: number;
  deleted: boolean;
  data: Record<string, unknown> | null;
  /** Outbox entries of this record not yet answered by the server. */
  pending: number;
  /** Device clock, ISO, for ordering lists. */
  updatedAt: string;
  /** The record it belongs to (its beneficiary, else its case), '' for none: lists of one person's records. */
  parentId: string;
}

/**
 * A record as stored: the data sealed under the user's key (bound to the record's key), beside only what
 * is not personal — ids, versions, dates — and the blind search index.
 */
export interface StoredRecord {
  key: string;
  entity: EntityName;
  recordId: string;
  version: number;
  deleted: boolean;
  /** The data, sealed; null for a deleted record. */
  sealed: Sealed | null;
  pending: number;
  updatedAt: string;
  /** Blind index entries (keyed hashes) of the record's search buckets and filter tags. */
  tokens: string[];
  parentId: string;
  /**
   * What makes the record part of the worklist (agenda.ts): kinds and dates, no personal content. Absent
   * on rows sealed before schema version 2 until the reindex after unlock has gone over them.
   */
  agenda?: string[];
  /** The version of the index entries above (INDEX_VERSION, records-repository.ts); absent before 3. */
  indexed?: number;
}

/** A mutation waiting to be pushed, in seq order; the mutation (without its seq) is sealed. */
export interface OutboxEntry {
  seq: number;
  mutationId: string;
  entity: EntityName;
  recordId: string;
  sealed: Sealed;
}

export type ConflictResult = Extract<PushResult, { status: 'conflict' }>['conflict'];

/**
 * A mutation the server answered, kept for a while: should the server be restored from a backup taken
 * before it, the server asks again from its seq (seq_gap) and the device sends it again.
 */
export interface AcknowledgedEntry extends OutboxEntry {
  /** When the answer came (device clock, ISO); entries older than the retention are pruned. */
  at: string;
}

/** A change the server refused to apply over newer values; shown for review, never dropped. */
export interface ConflictEntry {
  id?: number;
  entity: EntityName;
  recordId: string;
  mutation: Mutation;
  conflict: ConflictResult;
  at: string;
}

/** A change the server rejected, with its reason; the user can edit and resend it. */
export interface RejectedEntry {
  id?: number;
  entity: EntityName;
  recordId: string;
  mutation: Mutation;
  error: { code: string; message: string; fields: { path: string; code: string }[] };
  at: string;
}

/** A conflict or rejection as stored: what identifies it in the clear, its content sealed. */
export interface StoredReview {
  id?: number;
  entity: EntityName;
  recordId: string;
  mutationId: string;
  at: string;
  sealed: Sealed;
}

/**
 * A file (document photo, signature) by the SHA-256 of its bytes: stored once however often it is attached.
 * `pending` files wait to be uploaded; `uploaded` ones are on the server too; `fetched` ones came from it.
 * The bytes are sealed; the hash names the file in the clear (it is how the server knows it too).
 */
export interface FileEntry {
  sha256: string;
  mimeType: AttachmentMimeType;
  size: number;
  sealed: Sealed;
  state: 'pending' | 'uploaded' | 'fetched';
  /** The tus upload in progress, to resume after a restart. */
  uploadUrl: string | null;
  createdAt: string;
  /** The last upload failure that needs more than a retry (shown on the sync screen). */
  lastError: string | null;
}

export { userDbName } from './names';

/**
 * One user's data on this device: records, outbox, reviews, files and sync state, all personal content
 * sealed (see vault.ts). Each user who signs in on a shared device has their own database and key.
 * Every schema version lives here, in order; never edit a released version, add the next one. (Version 1
 * of this per-user database replaced the single plain-text database `wasel` of the first builds.)
 */
export class WaselDb extends Dexie {
  meta!: EntityTable<MetaRecord, 'key'>;
  records!: EntityTable<StoredRecord, 'key'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  conflicts!: EntityTable<StoredReview, 'id'>;
  rejected!: EntityTable<StoredReview, 'id'>;
  files!: EntityTable<FileEntry, 'sha256'>;
  acknowledged!: EntityTable<AcknowledgedEntry, 'seq'>;

  constructor(name: string, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      meta: 'key',
      records: 'key, [entity+updatedAt], [entity+parentId], *tokens',
      outbox: 'seq, recordId',
      conflicts: '++id, [entity+recordId]',
      rejected: '++id, [entity+recordId]',
      files: 'sha256, state',
      acknowledged: 'seq, at',
    });
    // The agenda index: the worklist reads only the records due. Rows of version 1 are given their
    // entries after the next unlock (records-repository.ts, reindex), since that needs the key.
    this.version(2).stores({
      records: 'key, [entity+updatedAt], [entity+parentId], *tokens, *agenda',
    });
    // The browser may close the connection (storage pressure, another tab's upgrade): reopen on next use.
    this.on('close', () => {
      // Not reopened now: the next read or write opens it, and reports its own failure.
      void this.open().catch(() => undefined);
    });
  }
}

/** A user who has signed in on this device: what unlocks their data, and what the lock screen shows. */
export interface VaultEntry {
  userId: string;
  username: string;
  name: string;
  keys: WrappedKeys;
  /**
   * The same keys wrapped under this device's recovery key, which only the server can give again (to the
   * user, once they sign in with a password it accepts): after an administrator resets a forgotten
   * password, the data on this device, unsent work included, opens again. Absent on older vaults.
   */
  recovery?: RecoveryKeys;
  /** The same keys wrapped under a passkey, when the user set one up on this device (fast unlock). */
  passkey?: PasskeyKeys;
  /** Wrong passwords since the last unlock; too many erase this user's data on this device. */
  failedUnlocks: number;
  lastUnlockAt: string | null;
}

/** What belongs to the device, not to a user: its id, the users' wrapped keys, who used it last. */
export class DeviceDb extends Dexie {
  meta!: EntityTable<MetaRecord, 'key'>;
  vaults!: EntityTable<VaultEntry, 'userId'>;

  constructor(name = DEVICE_DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({ meta: 'key', vaults: 'userId, &username' });
  }
}

/** What the sync indicator counts: changes and files waiting to go, and entries needing review. */
export async function countSyncState(db: WaselDb) {
  const [pending, files, conflicts, rejected] = await Promise.all([
    db.outbox.count(),
    db.files.where('state').equals('pending').count(),
    db.conflicts.count(),
    db.rejected.count(),
  ]);
  return { pending, files, conflicts, rejected };
}

/** The record a record belongs to: its beneficiary, else its case; '' when it names neither. */
export function parentIdOf(data: Record<string, unknown> | null): string {
  const parent = data?.beneficiaryId ?? data?.caseId;
  return typeof parent === 'string' ? parent : '';
}

export function recordKey(entity: EntityName, recordId: string): string {
  return `${entity}:${recordId}`;
}

/**
 * Changes some fields of one row: read and put back whole, in one transaction. Not Dexie's `update()`,
 * which clones the row and, across JavaScript realms (jsdom's tests), turns the sealed bytes into
 * plain objects.
 */
export function patchRow<T, K extends IndexableType>(
  table: Table<T, K>,
  key: K,
  changes: Partial<T>,
): Promise<boolean> {
  return table.db.transaction('rw', table, async () => {
    const row = await table.get(key);
    if (row === undefined) return false;
    await table.put({ ...row, ...changes });
    return true;
  });
}
