// The association's document files (attachment_files), each kept once by its SHA-256 (attachment-service):
// stored when an upload completes, and read back for whoever may read them. SQL only: who may is decided
// by the service and the policy (policy.ts), whose branch condition comes in as `scope`.
import { firstRow, type Queryable } from './db';

export interface FileRow {
  mime_type: string;
  size: number;
  /** Null when the bytes were not asked for. */
  data: Uint8Array | null;
}

/** Keeps a file, unless the association holds it already. */
export async function insertFile(
  db: Queryable,
  f: {
    associationId: string;
    sha256: string;
    mimeType: string;
    size: number | undefined;
    data: Uint8Array;
    uploadedBy: string;
    /** ISO 8601. */
    createdAt: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO attachment_files (association_id, sha256, mime_type, size, data, uploaded_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (association_id, sha256) DO NOTHING`,
    [f.associationId, f.sha256, f.mimeType, f.size, f.data, f.uploadedBy, f.createdAt],
  );
}

/** A file of the association, whoever uploaded it and whatever names it (a library document). */
export function anyFile(
  db: Queryable,
  associationId: string,
  sha256: string,
  withData: boolean,
): Promise<FileRow | undefined> {
  return firstRow<FileRow>(
    db,
    `SELECT mime_type, size, ${withData ? 'data' : 'NULL AS data'} FROM attachment_files
            WHERE association_id = $1 AND sha256 = $2`,
    [associationId, sha256],
  );
}

/**
 * A file of the association that `userId` uploaded (unless, with the bytes asked for, a live attachment names
 * it for one of the `hidden` requirements), or that a live attachment within `scope` names for none of them.
 * `scope` is the policy's branch condition, its parameters numbered from $6.
 */
export function readableFile(
  db: Queryable,
  f: {
    associationId: string;
    sha256: string;
    userId: string;
    withData: boolean;
    hidden: readonly string[];
    scope: { sql: string; params: unknown[] };
  },
): Promise<FileRow | undefined> {
  return firstRow<FileRow>(
    db,
    `SELECT mime_type, size, ${f.withData ? 'data' : 'NULL AS data'} FROM attachment_files f
          WHERE f.association_id = $1 AND f.sha256 = $2
            AND ((f.uploaded_by = $3 AND NOT ($4 AND EXISTS (
                   SELECT 1 FROM records
                    WHERE association_id = $1 AND entity = 'attachment' AND NOT deleted
                      AND data->>'sha256' = $2 AND data->>'requirementId' = ANY($5::text[]))))
              OR EXISTS (
                SELECT 1 FROM records
                 WHERE association_id = $1 AND entity = 'attachment' AND NOT deleted
                   AND data->>'sha256' = $2 AND NOT coalesce(data->>'requirementId' = ANY($5::text[]), false)
                   ${f.scope.sql}))`,
    [f.associationId, f.sha256, f.userId, f.withData, f.hidden, ...f.scope.params],
  );
}
