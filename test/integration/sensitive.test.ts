// Sensitive fields (L-SENSITIVE): in Awn's profile, health data and medical reports are for the researcher
// and the committee only. Other roles never receive them (records, files, exports), cannot write them, do
// not erase them by changing other fields, and every read of them is audited as sensitive.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { createAdminService } from '../../server/services/admin-service';
import { FILES_PATH } from '../../src/protocol/attachments';
import { exportDocumentSchema, RIGHTS_PATH } from '../../src/protocol/rights';
import { pullResponseSchema, pushResponseSchema, type Mutation } from '../../src/protocol/sync';
import { fastHash, jsonRequest, upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();
let branchId = '';

beforeAll(async () => {
  const admin = createAdminService(env.db, fastHash);
  await admin.createAssociation({ code: 'awn', nameAr: 'جمعية عون', nameEn: 'Awn' });
  await admin.createBranch({ associationCode: 'awn', code: 'b1', nameAr: 'الفرع', nameEn: 'Branch' });
  const base = { associationCode: 'awn', password: 'correct-horse', displayName: 'x' };
  await admin.createUser({ ...base, username: 'awn.rep', branchCode: 'b1', role: 'representative' });
  await admin.createUser({ ...base, username: 'awn.researcher', branchCode: 'b1', role: 'researcher' });
  await admin.createUser({ ...base, username: 'awn.committee', branchCode: 'b1', role: 'committee' });
  await admin.createUser({ ...base, username: 'awn.supervisor', role: 'supervisor' });
  const rows = await env.db.query<{ id: string }>(
    "SELECT b.id FROM branches b JOIN associations a ON a.id = b.association_id WHERE a.code = 'awn'",
  );
  branchId = rows[0]?.id ?? '';
});

const auth = async (username: string) => ({ Authorization: `Bearer ${await env.tokenOf(username)}` });

async function push(username: string, mutations: Mutation[]) {
  const response = await env.app.request(
    '/api/v1/sync/push',
    jsonRequest({ clientId: randomUUID(), mutations }, await env.tokenOf(username)),
  );
  return pushResponseSchema
    .parse(await response.json())
    .results.map((r) =>
      r.status === 'rejected' ? `rejected ${r.error.code} ${r.error.fields[0]?.path}` : r.status,
    );
}

async function pulled(username: string) {
  const response = await env.app.request('/api/v1/sync/pull?cursor=&limit=5000', {
    headers: await auth(username),
  });
  return pullResponseSchema.parse(await response.json()).changes;
}

it('keeps health data and medical reports to the roles the profile names', async () => {
  const beneficiaryId = randomUUID();
  const person = { branchId, fullName: 'عبدالله', nationalId: '1000000008', mobile: '+966501234567' };
  const health = { medical_condition: 'فشل كلوي', treatment_history: 'غسيل كلى منذ 2024' };

  // The representative registers the person but may not record their health.
  expect(
    await push('awn.rep', [upsert(1, 'beneficiary', beneficiaryId, { ...person, sensitive: health })]),
  ).toEqual(['rejected forbidden sensitive']);
  expect(await push('awn.rep', [upsert(1, 'beneficiary', beneficiaryId, person)])).toEqual(['applied']);
  // The researcher records it on their visit.
  const version = (await pulled('awn.researcher')).find((c) => c.recordId === beneficiaryId)?.version ?? 0;
  expect(
    await push('awn.researcher', [
      { ...upsert(1, 'beneficiary', beneficiaryId, { sensitive: health }), baseVersion: version },
    ]),
  ).toEqual(['applied']);
  // The representative corrects the mobile: the health data, which they never saw, stays.
  const repVersion = (await pulled('awn.rep')).find((c) => c.recordId === beneficiaryId)?.version ?? 0;
  expect(
    await push('awn.rep', [
      { ...upsert(1, 'beneficiary', beneficiaryId, { mobile: '+966551234567' }), baseVersion: repVersion },
    ]),
  ).toEqual(['applied']);

  // A medical report, photographed by the representative at the home (collecting it is their job).
  const bytes = new TextEncoder().encode(`medical report of ${beneficiaryId}`);
  const sha256 = await env.upload('awn.rep', bytes);
  const reportId = randomUUID();
  expect(
    await push('awn.rep', [
      upsert(1, 'attachment', reportId, {
        sha256,
        kind: 'document',
        mimeType: 'image/jpeg',
        size: bytes.length,
        beneficiaryId,
        caseId: null,
        requirementId: 'medical_report',
      }),
    ]),
  ).toEqual(['applied']);

  const seenBy = async (username: string) => {
    const changes = await pulled(username);
    const person = changes.find((c) => c.recordId === beneficiaryId)?.data ?? {};
    const file = await env.app.request(`${FILES_PATH}/${sha256}`, { headers: await auth(username) });
    return {
      mobile: person.mobile,
      sensitive: person.sensitive ?? null,
      report: changes.some((c) => c.recordId === reportId),
      file: file.status,
    };
  };
  const withHealth = { mobile: '+966551234567', sensitive: health, report: true, file: 200 };
  const without = { mobile: '+966551234567', sensitive: null, report: false, file: 404 };
  expect(await seenBy('awn.researcher')).toEqual(withHealth);
  expect(await seenBy('awn.committee')).toEqual(withHealth);
  expect(await seenBy('awn.rep')).toEqual(without);
  expect(await seenBy('awn.supervisor')).toEqual(without);
  // The representative who uploaded the report may still ask whether it arrived, not read it back.
  const head = await env.app.request(`${FILES_PATH}/${sha256}`, {
    method: 'HEAD',
    headers: await auth('awn.rep'),
  });
  expect(head.status).toBe(200);

  // Every read that carried health data is audited as sensitive; the others are not.
  const audit = await env.db.query<{ username: string; sensitive: boolean }>(
    `SELECT DISTINCT u.username, a.sensitive FROM audit_trail a JOIN users u ON u.id = a.user_id
      WHERE a.action = 'pull' AND a.record_id = ANY($1::text[]) AND u.username LIKE 'awn.%'
      ORDER BY u.username, a.sensitive`,
    [[beneficiaryId, reportId]],
  );
  expect(audit).toEqual([
    { username: 'awn.committee', sensitive: true },
    { username: 'awn.rep', sensitive: false },
    { username: 'awn.researcher', sensitive: false },
    { username: 'awn.researcher', sensitive: true },
    { username: 'awn.supervisor', sensitive: false },
  ]);

  // The supervisor answers the access request, but the export says what their role could not include.
  const bySupervisor = exportDocumentSchema.parse(
    await (
      await env.app.request(`${RIGHTS_PATH}/${beneficiaryId}/export`, {
        headers: await auth('awn.supervisor'),
      })
    ).json(),
  );
  expect(bySupervisor.withheld).toEqual(['sensitive']);
  expect(JSON.stringify(bySupervisor)).not.toContain('فشل كلوي');
  expect(bySupervisor.records.some((r) => r.recordId === reportId)).toBe(false);
  expect(bySupervisor.files).toEqual([]);
  const byCommittee = exportDocumentSchema.parse(
    await (
      await env.app.request(`${RIGHTS_PATH}/${beneficiaryId}/export`, {
        headers: await auth('awn.committee'),
      })
    ).json(),
  );
  expect(byCommittee.withheld).toEqual([]);
  expect(byCommittee.records.find((r) => r.recordId === beneficiaryId)?.data.sensitive).toEqual(health);
  expect(byCommittee.files.map((f) => f.sha256)).toEqual([sha256]);
});
