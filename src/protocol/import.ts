// The import of an association's caseload over the API (issue 19): the rows of a spreadsheet, mapped to
// fields on the administrator's device, sent for a dry run and then for the import itself. The server runs
// `planImport` for both, so the dry run says exactly what the import will do: the rows it will create
// records from and each row it will refuse, with why. Every record is checked by the entity's own schema and
// the association's profile (validateEntity), as a record arriving from a device is.
import * as z from 'zod/mini';
import {
  checkImportRows,
  importCodes,
  ImportCode,
  importFields,
  refuseDrafts,
  type ImportContext,
  type ImportDraft,
  type ImportField,
  type ImportProblem,
} from '../domain/import-rows';
import type { PolicyProfile } from '../domain/profiles/profile';
import { validateEntity } from './validate';

export const IMPORT_PATH = '/api/v1/admin/import';

/**
 * Rows one request may carry. 10,000 beneficiaries with seven columns travel in about 2 MB of JSON, inside the
 * API's body limit (MAX_JSON_BODY_BYTES in server/http/app.ts, 4 MB; measured by `npm run bench`). A file
 * near this cap fits only with fewer columns: the app measures the request first and asks for the file to
 * be split rather than send what the server would refuse.
 */
export const MAX_IMPORT_ROWS = 20_000;
/** The API's body limit (the server's MAX_JSON_BODY_BYTES): the app checks a request against it first. */
export const MAX_IMPORT_BODY_BYTES = 4 * 1024 * 1024;

const cell = z.optional(z.string().check(z.maxLength(500)));

export const mappedRowSchema = z.object({
  row: z.number().check(z.int(), z.positive()),
  nationalId: cell,
  fullName: cell,
  mobile: cell,
  branchCode: cell,
  category: cell,
  monthlyIncome: cell,
  birthDate: cell,
  gender: cell,
  headNationalId: cell,
  relation: cell,
} satisfies Record<ImportField | 'row', unknown>);
export type MappedRowInput = z.infer<typeof mappedRowSchema>;

export const importRequestSchema = z.object({
  /** SHA-256 of the file's bytes: the same file imported twice creates nothing new. */
  fileSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
  /** Check only: nothing is written. */
  dryRun: z.boolean(),
  /** The branch of the rows that name none (chosen on the mapping screen). */
  defaultBranchId: z.optional(z.nullable(z.uuid())),
  rows: z.array(mappedRowSchema).check(z.minLength(1), z.maxLength(MAX_IMPORT_ROWS)),
});
export type ImportRequest = z.infer<typeof importRequestSchema>;

export const importProblemSchema = z.object({
  row: z.number(),
  field: z.nullable(z.enum(importFields)),
  code: z.enum(importCodes),
  message: z.string(),
  otherRow: z.optional(z.number()),
});

export const importResponseSchema = z.object({
  dryRun: z.boolean(),
  /** Rows that become records (in a dry run: would). */
  accepted: z.number(),
  /** Each problem of each refused row, by row. */
  refused: z.array(importProblemSchema),
  /** The records created (in a dry run: that the import would create). */
  created: z.object({ beneficiaries: z.number(), householdMembers: z.number() }),
  /** This file was imported before: nothing was (or would be) created. */
  alreadyImported: z.boolean(),
});
export type ImportResponse = z.infer<typeof importResponseSchema>;

/** A record the import creates, with its id, branch and validated data. */
export interface PlannedRecord {
  row: number;
  entity: ImportDraft['entity'];
  recordId: string;
  branchId: string | null;
  data: Record<string, unknown>;
}

export interface ImportPlan {
  records: PlannedRecord[];
  problems: ImportProblem[];
}

/** How a record id already in the association's table stands: a live record, or a deleted or destroyed one. */
export type TakenId = 'live' | 'removed';

const schemaFields: Readonly<Record<string, ImportField>> = {
  nationalId: 'nationalId',
  fullName: 'fullName',
  name: 'fullName',
  mobile: 'mobile',
  branchId: 'branchCode',
  category: 'category',
  monthlyIncome: 'monthlyIncome',
  birthDate: 'birthDate',
  gender: 'gender',
  beneficiaryId: 'headNationalId',
  relation: 'relation',
};

/**
 * What the rows become: `checkImportRows`, record ids from `recordIdOf` (derived from the person, so the same
 * person is the same record), then each record through `validateEntity`. Ids in `taken` (the table holds
 * them already) are refused, never overwritten.
 */
export function planImport(
  rows: readonly MappedRowInput[],
  context: ImportContext,
  profile: PolicyProfile,
  recordIdOf: (entity: ImportDraft['entity'], key: string) => string,
  taken: ReadonlyMap<string, TakenId> = new Map(),
): ImportPlan {
  const check = checkImportRows(rows, context);
  const idOf = (d: ImportDraft) => recordIdOf(d.entity, d.key);
  const refusals: ImportProblem[] = [];
  const planned = new Map<ImportDraft, PlannedRecord>();
  for (const draft of check.drafts) {
    const recordId = idOf(draft);
    const standing = taken.get(recordId);
    if (standing !== undefined) {
      refusals.push({
        row: draft.row,
        field: 'nationalId',
        code: standing === 'live' ? ImportCode.exists : ImportCode.removed,
        message:
          standing === 'live'
            ? 'The association holds this record already (imported before).'
            : 'This record was deleted or destroyed: an import does not bring it back.',
      });
      continue;
    }
    const data =
      draft.entity === 'beneficiary'
        ? draft.data
        : {
            ...draft.data,
            beneficiaryId:
              'key' in draft.head ? recordIdOf('beneficiary', draft.head.key) : draft.head.recordId,
          };
    const valid = validateEntity(draft.entity, data, profile);
    if (!valid.ok) {
      const first = valid.errors[0];
      refusals.push({
        row: draft.row,
        field: first === undefined ? null : (schemaFields[first.path.split('.')[0] ?? ''] ?? null),
        code: ImportCode.invalid,
        message: `The record is not valid: ${valid.errors.map((e) => `${e.path} ${e.code}`).join(', ')}.`,
      });
      continue;
    }
    planned.set(draft, { row: draft.row, entity: draft.entity, recordId, branchId: null, data: valid.value });
  }
  const final = refuseDrafts(check, refusals);
  // Branches: a beneficiary's own; a member's is its head's (in this file, or as the association holds it).
  const branchOfHead = new Map<string, string>();
  for (const d of final.drafts) if (d.entity === 'beneficiary') branchOfHead.set(d.key, d.branchId);
  const records = final.drafts.flatMap((d): PlannedRecord[] => {
    const record = planned.get(d);
    if (record === undefined) return [];
    const branchId =
      d.entity === 'beneficiary'
        ? d.branchId
        : 'key' in d.head
          ? (branchOfHead.get(d.head.key) ?? null)
          : d.head.branchId;
    return [{ ...record, branchId }];
  });
  return { records, problems: final.problems };
}
