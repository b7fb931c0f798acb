// A lost device's incident (L-BREACH), over HTTP: the administrator opens it (the device is revoked in the same
// step), sees what the device held and whom it was about, follows the 72-hour clock of the regulator's
// notification, records the notification, and exports the affected beneficiaries as CSV for the regulator.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestNumber } from '../../src/domain/case-machine';
import {
  incidentDetailSchema,
  incidentExportSchema,
  incidentSchema,
  incidentsResponseSchema,
  INCIDENTS_PATH,
  type Incident,
} from '../../src/protocol/admin';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { pullResponseSchema, pushResponseSchema } from '../../src/protocol/sync';
import { bearer, jsonRequest, upsert, useKadiTestApp } from './helpers';
import { stepClient, TODAY } from './steps';

const env = useKadiTestApp();

/** The researcher's tablet of branch 1, which will be lost. */
const lostDevice = randomUUID();
let lostToken = '';
const notes = 'فُقد الجهاز في زيارة ميدانية بحي العليا، أبلغ عنه الباحث';
/** When the association became aware: before the test clock's and the wall clock's now. */
const awareAt = '2026-11-21T18:30:00.000Z';

const amal = { id: randomUUID(), nationalId: '1000000008', mobile: '+966501234567' };
const badr = { id: randomUUID(), nationalId: '2000000006', mobile: '+966551234567' };
/** Of branch 2: the branch 1 researcher's device never held it. */
const other = randomUUID();
const memberId = randomUUID();
const interactionId = randomUUID();
const caseId = randomUUID();
const caseDocumentId = randomUUID();
const acknowledgementId = randomUUID();

async function login(username: string, deviceId: string) {
  const response = await env.app.request(
    '/api/v1/auth/login',
    jsonRequest({ username, password: 'correct-horse', deviceId, deviceName: 'جهاز الباحث اللوحي' }),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as { accessToken: string; user: { id: string } };
}

const as = async (username: string) => bearer(await env.tokenOf(username));
const post = async (username: string, path: string, body: unknown) =>
  env.app.request(path, jsonRequest(body, await env.tokenOf(username)));
async function refusal(response: Response) {
  const body = apiErrorBodySchema.parse(await response.json());
  return { status: response.status, code: body.error.code, details: body.error.details };
}

beforeAll(async () => {
  const person = (fullName: string, p: { nationalId: string; mobile: string }, branchId = env.branch.b1) => ({
    branchId,
    fullName,
    nationalId: p.nationalId,
    mobile: p.mobile,
  });
  const rep = stepClient(env, 'kadi.rep1');
  expect(
    (
      await rep.push([
        rep.upsert('beneficiary', amal.id, person('أمل سعد القحطاني', amal)),
        rep.upsert('beneficiary', badr.id, person('بدر علي الشهري', badr)),
        rep.upsert('household_member', memberId, {
          beneficiaryId: amal.id,
          name: { first: 'نورة', father: 'سالم', grandfather: 'عبدالله', family: 'القحطاني' },
          relation: 'daughter',
          birthDate: '2010-05-01',
          collectedViaHead: true,
        }),
        rep.upsert('interaction', interactionId, {
          beneficiaryId: amal.id,
          channel: 'phone',
          summary: 'متابعة الطلب',
          occurredAt: '2026-11-22T09:00:00+03:00',
        }),
        rep.step(caseId, { type: 'opened', beneficiaryId: amal.id, number: requestNumber(TODAY, caseId) }),
        // A document of the request that names only the request: about Amal through it.
        rep.upsert('attachment', caseDocumentId, {
          sha256: 'a'.repeat(64),
          kind: 'document',
          mimeType: 'image/jpeg',
          size: 1000,
          beneficiaryId: null,
          caseId,
          requirementId: 'id_copy',
        }),
      ])
    ).map((r) => r.status),
  ).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
  expect(
    await env.push('kadi.rep2', [
      upsert(1, 'beneficiary', other, person('غيث من الفرع الثاني', amal, env.branch.b2)),
    ]),
  ).toEqual(['applied']);
  // The researcher records that Badr's parents are unknown: sensitive (L-SENSITIVE).
  expect(
    await env.push('kadi.researcher', [
      upsert(
        1,
        'beneficiary',
        badr.id,
        { sensitive: { parents_unknown: 'نعم' } },
        await env.versionOf(badr.id),
      ),
    ]),
  ).toEqual(['applied']);
  // The researcher's tablet takes the branch, then signs the policy on it.
  const session = await login('kadi.researcher', lostDevice);
  lostToken = session.accessToken;
  const pulled = await env.app.request('/api/v1/sync/pull?cursor=&limit=5000', bearer(lostToken));
  expect(pulled.status).toBe(200);
  const seen = pullResponseSchema.parse(await pulled.json()).changes.map((c) => c.recordId);
  expect(seen).toEqual(expect.arrayContaining([amal.id, badr.id, interactionId, caseId, caseDocumentId]));
  expect(seen).not.toContain(other);
  const signed = await env.app.request(
    '/api/v1/sync/push',
    jsonRequest(
      {
        clientId: randomUUID(),
        mutations: [
          upsert(1, 'policy_acknowledgement', acknowledgementId, {
            userId: session.user.id,
            policyVersion: '1',
            signedAt: '2026-11-22T09:00:00.000Z',
            signatureHash: 'c'.repeat(64),
          }),
        ],
      },
      lostToken,
    ),
  );
  expect(pushResponseSchema.parse(await signed.json()).results.map((r) => r.status)).toEqual(['applied']);
  // The household member is deleted afterwards: the device held it all the same, and it was about Amal.
  expect(
    await env.push('kadi.rep1', [
      { ...upsert(1, 'household_member', memberId, {}, await env.versionOf(memberId)), op: 'delete' },
    ]),
  ).toEqual(['applied']);
});

describe('a lost device’s incident (L-BREACH)', () => {
  let incident: Incident;

  it('L-BREACH is for the administrator of the device’s own association', async () => {
    const body = { deviceId: lostDevice, notes };
    for (const username of ['kadi.rep1', 'kadi.researcher', 'kadi.supervisor'])
      expect(await refusal(await post(username, INCIDENTS_PATH, body)), username).toMatchObject({
        status: 403,
        code: 'forbidden',
      });
    expect(await refusal(await post('bakkah.admin', INCIDENTS_PATH, body))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect(
      await refusal(await post('kadi.admin', INCIDENTS_PATH, { ...body, deviceId: randomUUID() })),
    ).toMatchObject({ status: 404, code: 'not_found' });
    // None of them opened anything, nor revoked the device.
    expect((await env.app.request('/api/v1/sync/pull?cursor=&limit=1', bearer(lostToken))).status).toBe(200);
    for (const username of ['kadi.supervisor', 'kadi.rep1'])
      expect((await env.app.request(INCIDENTS_PATH, await as(username))).status, username).toBe(403);
  });

  it('L-BREACH refuses an awareness later than now, as the console does', async () => {
    const tomorrow = new Date(env.server.clock.now() + 24 * 60 * 60 * 1000).toISOString();
    expect(
      await refusal(
        await post('kadi.admin', INCIDENTS_PATH, { deviceId: lostDevice, notes, awareAt: tomorrow }),
      ),
    ).toEqual({
      status: 400,
      code: 'invalid_request',
      details: { fields: [{ path: 'awareAt', message: 'aware_at_in_future' }] },
    });
    // Notes are required.
    expect(
      await refusal(await post('kadi.admin', INCIDENTS_PATH, { deviceId: lostDevice, notes: '  ', awareAt })),
    ).toMatchObject({ status: 400, code: 'invalid_request' });
  });

  it('L-BREACH opens the incident with its 72-hour deadline, and revokes the device in the same step', async () => {
    const response = await post('kadi.admin', INCIDENTS_PATH, { deviceId: lostDevice, notes, awareAt });
    expect(response.status).toBe(201);
    incident = incidentSchema.parse(await response.json());
    expect(incident).toMatchObject({
      deviceId: lostDevice,
      deviceName: 'جهاز الباحث اللوحي',
      awareAt,
      deadline: '2026-11-24T18:30:00.000Z',
      reportedBy: 'kadi.admin',
      notes,
      regulator: null,
    });
    // The lost device is cut off, and erases itself at its next contact; the notes are the reason.
    expect(
      await refusal(await env.app.request('/api/v1/sync/pull?cursor=&limit=1', bearer(lostToken))),
    ).toMatchObject({ status: 401, code: 'device_revoked' });
    const [device] = await env.db.query<{ revoked_reason: string }>(
      'SELECT revoked_reason FROM devices WHERE id = $1',
      [lostDevice],
    );
    expect(device?.revoked_reason).toBe(notes);

    const listed = incidentsResponseSchema.parse(
      await (await env.app.request(INCIDENTS_PATH, await as('kadi.admin'))).json(),
    );
    expect(listed.incidents).toEqual([incident]);
    const bakkah = incidentsResponseSchema.parse(
      await (await env.app.request(INCIDENTS_PATH, await as('bakkah.admin'))).json(),
    );
    expect(bakkah.incidents).toEqual([]);
  });

  it('L-BREACH a device has one incident: reporting it again is refused with the existing one', async () => {
    expect(
      await refusal(await post('kadi.admin', INCIDENTS_PATH, { deviceId: lostDevice, notes: 'مرة ثانية' })),
    ).toEqual({ status: 409, code: 'already_exists', details: { incidentId: incident.id } });
  });

  it('L-BREACH awareness is now by default, to the minute the forms give, and notifying now follows it', async () => {
    const deviceId = randomUUID();
    await login('kadi.rep1b', deviceId);
    const before = env.server.clock.now();
    const response = await post('kadi.admin', INCIDENTS_PATH, { deviceId, notes: 'سُرق من السيارة' });
    expect(response.status).toBe(201);
    const opened = incidentSchema.parse(await response.json());
    const aware = Date.parse(opened.awareAt);
    expect(aware % 60_000).toBe(0);
    expect(aware).toBeGreaterThan(before - 60_000);
    expect(aware).toBeLessThanOrEqual(Date.parse(opened.reportedAt));
    expect(Date.parse(opened.deadline) - aware).toBe(72 * 60 * 60 * 1000);
    const notified = await post('kadi.admin', `${INCIDENTS_PATH}/${opened.id}/notified`, {});
    expect(notified.status).toBe(200);
    expect(incidentSchema.parse(await notified.json()).regulator?.recordedBy).toBe('kadi.admin');
  });

  it('L-BREACH shows what the device held and the beneficiaries it was about', async () => {
    const response = await env.app.request(`${INCIDENTS_PATH}/${incident.id}`, await as('kadi.admin'));
    expect(response.status).toBe(200);
    const detail = incidentDetailSchema.parse(await response.json());
    expect(detail.incident).toEqual(incident);
    expect(detail.held).toEqual({
      records: 7,
      sensitive: 1,
      aboutNoOne: 1,
      byEntity: [
        { entity: 'beneficiary', records: 2, sensitive: 1 },
        { entity: 'household_member', records: 1, sensitive: 0 },
        { entity: 'case', records: 1, sensitive: 0 },
        { entity: 'interaction', records: 1, sensitive: 0 },
        { entity: 'attachment', records: 1, sensitive: 0 },
        { entity: 'policy_acknowledgement', records: 1, sensitive: 0 },
      ],
    });
    const at = '2026-11-22T08:00:00.000Z';
    expect(detail.beneficiaries).toEqual([
      {
        id: amal.id,
        fullName: 'أمل سعد القحطاني',
        nationalId: amal.nationalId,
        mobile: amal.mobile,
        entities: ['beneficiary', 'household_member', 'case', 'interaction', 'attachment'],
        sensitive: false,
        lastAt: at,
      },
      {
        id: badr.id,
        fullName: 'بدر علي الشهري',
        nationalId: badr.nationalId,
        mobile: badr.mobile,
        entities: ['beneficiary'],
        sensitive: true,
        lastAt: at,
      },
    ]);
    // Naming them to the administrator is audited, as a lookup from the administrator's device.
    const looked = await env.db.query<{ record_id: string }>(
      "SELECT record_id FROM audit_log WHERE action = 'lookup' AND entity = 'beneficiary' ORDER BY record_id",
    );
    expect(looked.map((r) => r.record_id)).toEqual([amal.id, badr.id].sort());

    for (const [username, status] of [
      ['kadi.supervisor', 403],
      ['kadi.researcher', 403],
      ['bakkah.admin', 404],
    ] as const)
      expect(
        (await env.app.request(`${INCIDENTS_PATH}/${incident.id}`, await as(username))).status,
        username,
      ).toBe(status);
    for (const id of ['not-a-uuid', randomUUID(), "' OR 1=1 --"])
      expect(
        (await env.app.request(`${INCIDENTS_PATH}/${encodeURIComponent(id)}`, await as('kadi.admin'))).status,
      ).toBe(404);
  });

  it('L-BREACH exports the affected beneficiaries as CSV for the regulator, audited as an export', async () => {
    const path = `${INCIDENTS_PATH}/${incident.id}/export`;
    for (const [username, status] of [
      ['kadi.rep1', 403],
      ['kadi.supervisor', 403],
      ['bakkah.admin', 404],
    ] as const)
      expect((await env.app.request(path, await as(username))).status, username).toBe(status);
    expect(
      await env.db.query("SELECT 1 FROM audit_log WHERE action = 'export' AND entity = 'beneficiary'"),
    ).toEqual([]);

    const response = await env.app.request(path, await as('kadi.admin'));
    expect(response.status).toBe(200);
    const file = incidentExportSchema.parse(await response.json());
    expect(file.fileName).toBe(`incident-${incident.id}-affected.csv`);
    expect(file.csv).toBe(
      '\uFEFF' +
        [
          'رقم سجل المستفيد / Beneficiary record ID,الاسم الكامل / Full name,رقم الهوية / National ID,' +
            'الجوال / Mobile,ما حمله الجهاز عنه / Data held (record types),بيانات حساسة / Sensitive data,' +
            'آخر استلام أو تعديل على الجهاز (UTC) / Last received or changed on the device (UTC)',
          `${amal.id},أمل سعد القحطاني,1000000008,"'+966501234567",beneficiary; household_member; case; interaction; attachment,no,2026-11-22T08:00:00.000Z`,
          `${badr.id},بدر علي الشهري,2000000006,"'+966551234567",beneficiary,yes,2026-11-22T08:00:00.000Z`,
        ].join('\r\n') +
        '\r\n',
    );
    const exported = await env.db.query<{ record_id: string; version: string | number; device_id: string }>(
      "SELECT record_id, version, device_id FROM audit_log WHERE action = 'export' ORDER BY record_id",
    );
    expect(exported.map((r) => [r.record_id, Number(r.version)])).toEqual(
      await Promise.all(
        [amal.id, badr.id].sort().map(async (id) => [id, await env.versionOf(id)] as [string, number]),
      ),
    );
  });

  it('L-BREACH records once, by whom and when, that the regulator was notified', async () => {
    const path = `${INCIDENTS_PATH}/${incident.id}/notified`;
    expect(await refusal(await post('kadi.supervisor', path, {}))).toMatchObject({ status: 403 });
    expect(await refusal(await post('bakkah.admin', path, {}))).toMatchObject({ status: 404 });
    const tomorrow = new Date(env.server.clock.now() + 24 * 60 * 60 * 1000).toISOString();
    expect(await refusal(await post('kadi.admin', path, { notifiedAt: tomorrow }))).toEqual({
      status: 400,
      code: 'invalid_request',
      details: { fields: [{ path: 'notifiedAt', message: 'notified_in_future' }] },
    });
    expect(await refusal(await post('kadi.admin', path, { notifiedAt: '2026-11-21T18:00:00Z' }))).toEqual({
      status: 400,
      code: 'invalid_request',
      details: { fields: [{ path: 'notifiedAt', message: 'notified_before_aware' }] },
    });

    const response = await post('kadi.admin', path, {
      notifiedAt: '2026-11-22T07:15:00+03:00',
      reference: ' SDAIA-2026-0042 ',
    });
    expect(response.status).toBe(200);
    const notified = incidentSchema.parse(await response.json());
    expect(notified.regulator).toMatchObject({
      notifiedAt: '2026-11-22T04:15:00.000Z',
      recordedBy: 'kadi.admin',
      reference: 'SDAIA-2026-0042',
    });
    expect(Date.parse(notified.regulator?.recordedAt ?? '')).toBeGreaterThan(Date.parse(awareAt));
    expect({ ...notified, regulator: null }).toEqual(incident);
    // Once: a second record is refused, and the first stands.
    expect(await refusal(await post('kadi.admin', path, {}))).toMatchObject({
      status: 409,
      code: 'already_exists',
    });
    const again = incidentDetailSchema.parse(
      await (await env.app.request(`${INCIDENTS_PATH}/${incident.id}`, await as('kadi.admin'))).json(),
    );
    expect(again.incident).toEqual(notified);
  });
});
