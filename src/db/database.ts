// The one Dexie database of the app. Every schema version lives here, in order; never edit a
// released version, add the next one.
import { Dexie, type EntityTable } from 'dexie';
import type { AttachmentMimeType } from '../protocol/attachments';
import type { EntityName } from '../protocol/entities';
import type { Mutation, PushResult } from '../protocol/sync';

/** Small keyed values: device id, session, sync client id, next seq, pull cursor, last sync. */
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
  /** Folded search tokens (names, ID, phone) for the multi-entry search index. */
  tokens: string[];
  /** The record it belongs to (its beneficiary, else its case), '' for none: lists of one person's records. */
  parentId: string;
}

/** A mutation waiting to be pushed, in seq order. */
export interface OutboxEntry {
  seq: number;
  mutation: Mutation;
}

export type ConflictResult = Extract<PushResult, { status: 'conflict' }>['conflict'];

/**
 * A mutation the server answered, kept for a while: should the server be restored from a backup taken
 * before it, the server asks again from its seq (seq_gap) and the device sends it again.
 */
export interface AcknowledgedEntry {
  seq: number;
  mutation: Mutation;
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

/**
 * A file (document photo, signature) by the SHA-256 of its bytes: stored once however often it is attached.
 * `pending` files wait to be uploaded; `uploaded` ones are on the server too; `fetched` ones came from it.
 */
export interface FileEntry {
  sha256: string;
  mimeType: AttachmentMimeType;
  size: number;
  data: ArrayBuffer;
  state: 'pending' | 'uploaded' | 'fetched';
  /** The tus upload in progress, to resume after a restart. */
  uploadUrl: string | null;
  createdAt: string;
  /** The last upload failure that needs more than a retry (shown on the sync screen). */
  lastError: string | null;
}

export class WaselDb extends Dexie {
  meta!: EntityTable<MetaRecord, 'key'>;
  records!: EntityTable<LocalRecord, 'key'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  conflicts!: EntityTable<ConflictEntry, 'id'>;
  rejected!: EntityTable<RejectedEntry, 'id'>;
  files!: EntityTable<FileEntry, 'sha256'>;
  acknowledged!: EntityTable<AcknowledgedEntry, 'seq'>;

  constructor(name = 'wasel', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      meta: 'key',
    });
    // 2: the offline store and the sync outbox.
    this.version(2).stores({
      records: 'key, [entity+updatedAt], *tokens',
      outbox: 'seq, mutation.recordId',
      conflicts: '++id, [entity+recordId]',
      rejected: '++id, [entity+recordId]',
    });
    // 3: attachment files, content-addressed, apart from the records that name them.
    this.version(3).stores({
      files: 'sha256, state',
    });
    // 4: answered mutations, kept to resend after a server restore.
    this.version(4).stores({
      acknowledged: 'seq, at',
    });
    // 5: one person's (or case's) records by index, not by scanning every record of the entity.
    this.version(5)
      .stores({ records: 'key, [entity+updatedAt], [entity+parentId], *tokens' })
      .upgrade((tx) =>
        tx
          .table<LocalRecord, string>('records')
          .toCollection()
          .modify((record) => {
            record.parentId = parentIdOf(record.data);
          }),
      );
    // The browser may close the connection (storage pressure, another tab's upgrade): reopen on next use.
    this.on('close', () => {
      void this.open().catch(() => undefined);
    });
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
