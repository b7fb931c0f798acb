// The public complaint channel (src/protocol/complaints.ts, K-CMPL-a): a complaint from the website is
// written as the association's complaint record, association-wide, by no user, and reaches the follow-up
// unit's devices by the usual pull. Its status answer holds dates and a state only.
import { randomBytes } from 'node:crypto';
import { complaintReference } from '../../src/domain/complaint-reference';
import {
  complaintState,
  type PublicComplaintReceipt,
  type PublicComplaintRequest,
  type PublicComplaintStatus,
} from '../../src/protocol/complaints';
import type { Complaint } from '../../src/protocol/entities';
import { ErrorCode } from '../../src/protocol/errors';
import { validateEntity } from '../../src/protocol/validate';
import { appendAudit } from '../store/audit-store';
import * as store from '../store/complaint-store';
import type { Db } from '../store/db';
import { takeVersions } from '../store/versions';
import { ServiceError } from './errors';
import { profileOfAssociation } from './records';

/** The client id a public complaint's fields are stamped with (a conflict is judged against it). */
const PUBLIC_CLIENT = 'public_form';

export interface AssociationNames {
  code: string;
  nameAr: string;
  nameEn: string;
}

export function createComplaintService(deps: { db: Db; now: () => number }) {
  const { db, now } = deps;

  async function associationOf(code: string): Promise<AssociationNames & { id: string }> {
    const row = await store.associationByCode(db, code);
    if (row === undefined) throw new ServiceError(ErrorCode.notFound, 'No such association.');
    return { id: row.id, code: row.code, nameAr: row.name_ar, nameEn: row.name_en };
  }

  return {
    /** The association's names, for the form's heading; not found when there is no such association. */
    async association(code: string): Promise<AssociationNames> {
      const a = await associationOf(code);
      return { code: a.code, nameAr: a.nameAr, nameEn: a.nameEn };
    },

    async submit(request: PublicComplaintRequest): Promise<PublicComplaintReceipt> {
      const association = await associationOf(request.association);
      const profile = await profileOfAssociation(db, association.id);
      const at = new Date(now());
      const name = request.name?.trim() ?? '';
      const complaint: Complaint = {
        reference: complaintReference(association.code, (n) => randomBytes(n)),
        beneficiaryId: null,
        channel: 'public_form',
        kind: request.kind,
        text: request.text.trim(),
        receivedAt: at.toISOString(),
        firstResponseAt: null,
        resolution: null,
        complainant:
          name === '' && request.mobile === undefined
            ? null
            : {
                ...(name === '' ? {} : { name }),
                ...(request.mobile === undefined ? {} : { mobile: request.mobile }),
              },
        handling: [],
        compensationId: null,
      };
      const valid = validateEntity('complaint', complaint, profile);
      if (!valid.ok) throw new ServiceError(ErrorCode.invalidRequest, 'The complaint is not valid.');
      const recordId = crypto.randomUUID();
      await db.transaction(async (tx) => {
        const versions = await takeVersions(tx, association.id);
        const version = versions.next();
        const fieldVersions = Object.fromEntries(
          Object.keys(complaint).map((f) => [f, { v: version, c: PUBLIC_CLIENT }]),
        );
        await store.insertPublicComplaint(tx, {
          associationId: association.id,
          recordId,
          version,
          data: valid.value,
          fieldVersions,
          at,
        });
        await appendAudit(tx, { at, associationId: association.id, userId: null, deviceId: null }, 'write', [
          { entity: 'complaint', recordId, version },
        ]);
        await versions.save();
      });
      return { reference: complaint.reference, receivedAt: complaint.receivedAt };
    },

    /** Where a complaint stands; not found for an unknown reference (or another association's). */
    async status(code: string, reference: string): Promise<PublicComplaintStatus> {
      const complaint = await store.complaintByReference(db, code, reference);
      if (complaint === undefined)
        throw new ServiceError(ErrorCode.notFound, 'No complaint has this reference.');
      return {
        reference,
        state: complaintState(complaint),
        receivedAt: complaint.receivedAt,
        answeredAt: complaint.firstResponseAt,
        resolvedAt: complaint.resolution?.at ?? null,
      };
    },
  };
}

export type ComplaintService = ReturnType<typeof createComplaintService>;
