// The authorization matrix: every API route × every role × own branch / other branch / other association
// (and no token at all), each answer written down. A route added to the app without its row here fails
// the first test. The subject of every probe is Kadi's branch 1: a beneficiary, and a document photo of
// them uploaded by kadi.rep1 and named by an attachment record.
import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdminService } from '../../server/services/admin-service';
import { FILES_PATH, UPLOADS_PATH } from '../../src/protocol/attachments';
import { DUPLICATES_PATH, duplicateCheckResponseSchema } from '../../src/protocol/duplicates';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import {
  ADMIN_BRANCHES_PATH,
  ADMIN_PROFILE_PATH,
  ADMIN_USERS_PATH,
  branchesResponseSchema,
  branchSchema,
  incidentDetailSchema,
  incidentExportSchema,
  incidentSchema,
  incidentsResponseSchema,
  INCIDENTS_PATH,
  PASSWORD_PATH,
  PROFILE_PATH,
  usersResponseSchema,
} from '../../src/protocol/admin';
import { versionedProfileSchema } from '../../src/protocol/profile';
import { IMPORT_PATH, importResponseSchema } from '../../src/protocol/import';
import { destroyResponseSchema, exportDocumentSchema, RIGHTS_PATH } from '../../src/protocol/rights';
import { DIRECTORY_PATH, directoryResponseSchema } from '../../src/protocol/directory';
import { pullResponseSchema, pushResponseSchema } from '../../src/protocol/sync';
import { fastHash, jsonRequest, upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();

/** Who asks, by their relation to the subject (Kadi, branch 1). */
const callers = {
  'representative, same branch': 'kadi.rep1b',
  'representative, other branch': 'kadi.rep2',
  'researcher, same branch': 'kadi.researcher',
  'researcher, other branch': 'kadi.researcher2',
  committee: 'kadi.committee',
  supervisor: 'kadi.supervisor',
  admin: 'kadi.admin',
  'representative, other association': 'bakkah.rep1',
  'admin, other association': 'bakkah.admin',
  'no token': null,
} as const;
type Who = keyof typeof callers;
type Row = Record<Who, string>;

/** The same answer for everyone with a token, and another without. */
const everyone = (withToken: string, anonymous: string): Row =>
  Object.fromEntries(
    Object.keys(callers).map((who) => [who, who === 'no token' ? anonymous : withToken]),
  ) as Row;

const sessions = new Map<string, { accessToken: string; refreshToken: string }>();
async function login(username: string, deviceId = randomUUID()) {
  const response = await env.app.request(
    '/api/v1/auth/login',
    jsonRequest({ username, password: 'correct-horse', deviceId, deviceName: 'matrix' }),
  );
  return {
    status: response.status,
    body: (await response.json()) as { accessToken: string; refreshToken: string },
  };
}
async function tokenOf(username: string): Promise<string> {
  let session = sessions.get(username);
  if (session === undefined) {
    session = (await login(username)).body;
    sessions.set(username, session);
  }
  return session.accessToken;
}
async function headers(who: Who, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const username = callers[who];
  return username === null ? extra : { ...extra, Authorization: `Bearer ${await tokenOf(username)}` };
}

const subject = { beneficiaryId: randomUUID(), sha256: '', bytes: new Uint8Array() };

/** Branch codes and usernames made by the probes. */
let made = 0;
/** A fresh, empty branch of Kadi's, made by its administrator: the subject of a branch probe. */
async function kadiBranch(): Promise<string> {
  const response = await env.app.request(
    ADMIN_BRANCHES_PATH,
    jsonRequest({ code: `k${String(++made)}`, nameAr: 'فرع', nameEn: 'Branch' }, await tokenOf('kadi.admin')),
  );
  return branchSchema.parse(await response.json()).id;
}
/** A fresh member of Kadi's staff: the subject of a user probe. */
async function kadiUser(): Promise<string> {
  const admin = createAdminService(env.db, fastHash);
  return admin.createUser({
    associationCode: 'kadi',
    username: `kadi.subject${String(++made)}`,
    displayName: 'موظف',
    role: 'supervisor',
    password: 'correct-horse',
  });
}

beforeAll(async () => {
  const admin = createAdminService(env.db, fastHash);
  const base = { associationCode: 'kadi', password: 'correct-horse', displayName: 'x' };
  // kadi.researcher (b1) and kadi.committee come with the usual staff (seedKadiStaff).
  await admin.createUser({ ...base, username: 'kadi.researcher2', branchCode: 'b2', role: 'researcher' });

  subject.bytes = new TextEncoder().encode(`document of ${subject.beneficiaryId}`);
  subject.sha256 = createHash('sha256').update(subject.bytes).digest('hex');
  await env.upload('kadi.rep1', subject.bytes);
  const push = await env.app.request(
    '/api/v1/sync/push',
    jsonRequest(
      {
        clientId: randomUUID(),
        mutations: [
          upsert(1, 'beneficiary', subject.beneficiaryId, {
            branchId: env.branch.b1,
            fullName: 'صاحبة الملف',
            nationalId: '1000000008',
            mobile: '+966501234567',
          }),
          upsert(2, 'attachment', randomUUID(), {
            sha256: subject.sha256,
            kind: 'document',
            mimeType: 'image/jpeg',
            size: subject.bytes.length,
            beneficiaryId: subject.beneficiaryId,
            caseId: null,
            requirementId: null,
          }),
        ],
      },
      await tokenOf('kadi.rep1'),
    ),
  );
  expect(pushResponseSchema.parse(await push.json()).results.map((r) => r.status)).toEqual([
    'applied',
    'applied',
  ]);
});

/** A fresh tablet of kadi.rep1's that took its branch (the subject among it): the subject of an incident probe. */
async function rep1Device(): Promise<{ deviceId: string; refreshToken: string }> {
  const deviceId = randomUUID();
  const session = (await login('kadi.rep1', deviceId)).body;
  await env.app.request('/api/v1/sync/pull?cursor=&limit=5000', {
    headers: { Authorization: `Bearer ${session.accessToken}` },
  });
  return { deviceId, refreshToken: session.refreshToken };
}
/** The incident of such a tablet, opened by Kadi's administrator. */
async function kadiIncident(): Promise<string> {
  const { deviceId } = await rep1Device();
  const response = await env.app.request(
    INCIDENTS_PATH,
    jsonRequest({ deviceId, notes: 'فُقد في زيارة' }, await tokenOf('kadi.admin')),
  );
  return incidentSchema.parse(await response.json()).id;
}

const tusHeaders = { 'Tus-Resumable': '1.0.0' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** An upload of kadi.rep1's still in progress (nothing sent yet), for probes on an upload's own URL. */
async function rep1Upload(): Promise<string> {
  const bytes = new TextEncoder().encode(randomUUID());
  const created = await env.app.request(UPLOADS_PATH, {
    method: 'POST',
    headers: {
      ...tusHeaders,
      Authorization: `Bearer ${await tokenOf('kadi.rep1')}`,
      'Upload-Length': String(bytes.length),
      'Upload-Metadata': `sha256 ${b64(createHash('sha256').update(bytes).digest('hex'))},mimeType ${b64('image/jpeg')}`,
    },
  });
  return created.headers.get('Location') ?? '';
}

/** The status of `method` on a fresh upload of kadi.rep1's, sent by `who`. */
async function onRep1Upload(who: Who, method: string, extra: Record<string, string> = {}, body?: Uint8Array) {
  const location = await rep1Upload();
  const response = await env.app.request(location, {
    method,
    headers: await headers(who, { ...tusHeaders, ...extra }),
    ...(body === undefined ? {} : { body: body as Uint8Array<ArrayBuffer> }),
  });
  return String(response.status);
}

/**
 * The socket a public request arrives on, from an address of its own: the public routes are limited per
 * address (complaints.test.ts proves the limit over real HTTP), and these probes are no flood.
 */
let addresses = 0;
const fromOwnAddress = () => ({ incoming: { socket: { remoteAddress: `10.0.${String(addresses++)}.1` } } });

/** A complaint sent through the public API, with `who`'s token if any (it is not needed). */
async function publicComplaint(who: Who) {
  return env.app.request(
    '/api/v1/public/complaints',
    {
      method: 'POST',
      headers: await headers(who, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({
        association: 'kadi',
        kind: 'complaint',
        text: 'لم يصلني رد على طلبي',
        consent: true,
      }),
    },
    fromOwnAddress(),
  );
}

async function errorCode(response: Response): Promise<string> {
  const parsed = apiErrorBodySchema.safeParse(await response.json().catch(() => null));
  return parsed.success ? `${response.status} ${parsed.data.error.code}` : String(response.status);
}

/** Each route: how to probe it as someone, and the answer expected for each caller. */
const matrix: Record<string, { probe: (who: Who) => Promise<string>; expected: Row }> = {
  'GET /api/v1/health': {
    probe: async (who) =>
      String((await env.app.request('/api/v1/health', { headers: await headers(who) })).status),
    expected: everyone('200', '200'),
  },
  // Readiness, for a proxy: open, like liveness (it says nothing but "send me requests" or not).
  'GET /api/v1/ready': {
    probe: async (who) =>
      String((await env.app.request('/api/v1/ready', { headers: await headers(who) })).status),
    expected: everyone('200', '200'),
  },
  // The API's OpenAPI document (server/openapi.ts): public, like liveness; a token changes nothing.
  'GET /api/v1/openapi.json': {
    probe: async (who) =>
      String((await env.app.request('/api/v1/openapi.json', { headers: await headers(who) })).status),
    expected: everyone('200', '200'),
  },
  // Prometheus metrics: only with WASEL_METRICS_TOKEN set (operations.test.ts); here none is, so none are.
  'GET /metrics': {
    probe: async (who) => String((await env.app.request('/metrics', { headers: await headers(who) })).status),
    expected: everyone('404', '404'),
  },
  // The public complaint channel (K-CMPL-a): open to anyone, a token changes nothing.
  'POST /api/v1/public/complaints': {
    probe: async (who) => String((await publicComplaint(who)).status),
    expected: everyone('201', '201'),
  },
  'GET /api/v1/public/complaints/:association/:reference': {
    probe: async (who) => {
      const { reference } = (await (await publicComplaint('no token')).json()) as { reference: string };
      const response = await env.app.request(`/api/v1/public/complaints/kadi/${reference}`, {
        headers: await headers(who),
      });
      return String(response.status);
    },
    expected: everyone('200', '200'),
  },
  'GET /complaints/:association': {
    probe: async (who) =>
      String((await env.app.request('/complaints/kadi', { headers: await headers(who) })).status),
    expected: everyone('200', '200'),
  },
  'POST /complaints/:association': {
    probe: async (who) => {
      const response = await env.app.request(
        '/complaints/kadi',
        {
          method: 'POST',
          headers: await headers(who, { 'Content-Type': 'application/x-www-form-urlencoded' }),
          body: new URLSearchParams({
            kind: 'inquiry',
            text: 'متى تبدأ الزيارات المسائية؟',
            consent: 'yes',
          }).toString(),
        },
        fromOwnAddress(),
      );
      return String(response.status);
    },
    expected: everyone('201', '201'),
  },
  'ALL /complaints/*': {
    probe: async (who) => {
      const response = await env.app.request('/complaints/kadi/no-such-page', {
        headers: await headers(who),
      });
      return `${String(response.status)} ${response.headers.get('Content-Type')?.split(';')[0] ?? ''}`;
    },
    expected: everyone('404 text/html', '404 text/html'),
  },
  'GET /complaints/:association/status': {
    probe: async (who) => {
      const response = await env.app.request('/complaints/kadi/status?reference=KADI-2222222222', {
        headers: await headers(who),
      });
      return String(response.status);
    },
    expected: everyone('404', '404'),
  },
  // The staff and their sign-off of the policy: the administrator only.
  'GET /api/v1/admin/staff': {
    probe: async (who) => {
      const response = await env.app.request('/api/v1/admin/staff', { headers: await headers(who) });
      return response.status === 200 ? '200' : await errorCode(response);
    },
    expected: {
      'representative, same branch': '403 forbidden',
      'representative, other branch': '403 forbidden',
      'researcher, same branch': '403 forbidden',
      'researcher, other branch': '403 forbidden',
      committee: '403 forbidden',
      supervisor: '403 forbidden',
      admin: '200',
      'representative, other association': '403 forbidden',
      'admin, other association': '200',
      'no token': '401 unauthorized',
    },
  },
  // The directory (C-PROC-3, K-SAT-c): anyone with a token reads their own association's branches, and
  // the researchers of their own branch (every branch's for those who serve them all), never another
  // association's. Answered as the researchers' branches seen, and how many of Kadi's branches are listed.
  'GET /api/v1/directory': {
    probe: async (who) => {
      const response = await env.app.request(DIRECTORY_PATH, { headers: await headers(who) });
      if (response.status !== 200) return await errorCode(response);
      const { branches, researchers } = directoryResponseSchema.parse(await response.json());
      const code = (id: string) => Object.entries(env.branch).find(([, b]) => b === id)?.[0] ?? 'other';
      const seen = [...new Set(researchers.map((r) => code(r.branchId)))].sort();
      const kadi = branches.filter((b) => code(b.id) !== 'other').length;
      return `200 ${seen.join(',') || 'none'} / ${String(kadi)}`;
    },
    expected: {
      'representative, same branch': '200 b1 / 2',
      'representative, other branch': '200 b2 / 2',
      'researcher, same branch': '200 b1 / 2',
      'researcher, other branch': '200 b2 / 2',
      committee: '200 b2 / 2',
      supervisor: '200 b1,b2 / 2',
      admin: '200 b1,b2 / 2',
      'representative, other association': '200 none / 0',
      'admin, other association': '200 none / 0',
      'no token': '401 unauthorized',
    },
  },
  // The dashboard's counts: supervisors and the administrator, never a field role.
  'GET /api/v1/dashboard': {
    probe: async (who) => {
      const response = await env.app.request('/api/v1/dashboard', { headers: await headers(who) });
      return response.status === 200 ? '200' : await errorCode(response);
    },
    expected: {
      'representative, same branch': '403 forbidden',
      'representative, other branch': '403 forbidden',
      'researcher, same branch': '403 forbidden',
      'researcher, other branch': '403 forbidden',
      committee: '403 forbidden',
      supervisor: '200',
      admin: '200',
      'representative, other association': '403 forbidden',
      'admin, other association': '200',
      'no token': '401 unauthorized',
    },
  },
  'POST /api/v1/auth/login': {
    probe: async (who) => {
      const username = callers[who];
      if (username === null) return String((await login('kadi.rep1-no-such-user')).status);
      return String((await login(username)).status);
    },
    expected: everyone('200', '401'),
  },
  'POST /api/v1/auth/refresh': {
    probe: async (who) => {
      const username = callers[who];
      const deviceId = randomUUID();
      const session = username === null ? null : (await login(username, deviceId)).body;
      const response = await env.app.request(
        '/api/v1/auth/refresh',
        jsonRequest({ refreshToken: session?.refreshToken ?? 'not-a-token', deviceId }),
      );
      return response.status === 200 ? '200' : await errorCode(response);
    },
    // Public: the refresh token is the credential (a malformed one is refused before any lookup).
    expected: everyone('200', '400 invalid_request'),
  },
  'POST /api/v1/auth/logout': {
    probe: async (who) => {
      const username = callers[who];
      const session = username === null ? null : (await login(username)).body;
      const response = await env.app.request(
        '/api/v1/auth/logout',
        jsonRequest({ refreshToken: session?.refreshToken ?? 'not-a-token' }),
      );
      return String(response.status);
    },
    // Public: logging out with one's refresh token; a malformed one is refused before any lookup.
    expected: everyone('204', '400'),
  },
  'GET /api/v1/me': {
    probe: async (who) => {
      const response = await env.app.request('/api/v1/me', { headers: await headers(who) });
      if (response.status !== 200) return await errorCode(response);
      const me = (await response.json()) as { user: { role: string } };
      return `200 ${me.user.role}`;
    },
    expected: {
      'representative, same branch': '200 representative',
      'representative, other branch': '200 representative',
      'researcher, same branch': '200 researcher',
      'researcher, other branch': '200 researcher',
      committee: '200 committee',
      supervisor: '200 supervisor',
      admin: '200 admin',
      'representative, other association': '200 representative',
      'admin, other association': '200 admin',
      'no token': '401 unauthorized',
    },
  },
  'GET /api/v1/admin/devices': {
    // Does the list show a device kadi.rep1 signed in on?
    probe: async (who) => {
      const deviceId = randomUUID();
      await login('kadi.rep1', deviceId);
      const response = await env.app.request('/api/v1/admin/devices', { headers: await headers(who) });
      if (response.status !== 200) return await errorCode(response);
      const { devices } = (await response.json()) as { devices: { id: string }[] };
      return devices.some((d) => d.id === deviceId) ? '200 lists it' : '200 does not list it';
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200 lists it',
      'admin, other association': '200 does not list it',
    },
  },
  'GET /api/v1/admin/devices/:deviceId/records': {
    // The records a device of kadi.rep1's held: it pulled, so the subject beneficiary is among them.
    probe: async (who) => {
      const deviceId = randomUUID();
      const session = (await login('kadi.rep1', deviceId)).body;
      await env.app.request('/api/v1/sync/pull?cursor=&limit=5000', {
        headers: { Authorization: `Bearer ${session.accessToken}` },
      });
      const response = await env.app.request(`/api/v1/admin/devices/${deviceId}/records`, {
        headers: await headers(who),
      });
      if (response.status !== 200) return await errorCode(response);
      const { records } = (await response.json()) as { records: { recordId: string }[] };
      return records.some((r) => r.recordId === subject.beneficiaryId)
        ? '200 lists it'
        : '200 does not list it';
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200 lists it',
      'admin, other association': '200 does not list it',
    },
  },
  'POST /api/v1/admin/devices/:deviceId/revoke': {
    // Revoking a device kadi.rep1 signed in on; a revoked device's refresh token stops working.
    probe: async (who) => {
      const deviceId = randomUUID();
      const session = (await login('kadi.rep1', deviceId)).body;
      const response = await env.app.request(`/api/v1/admin/devices/${deviceId}/revoke`, {
        method: 'POST',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ reason: 'lost in the field' }),
      });
      const refresh = await env.app.request(
        '/api/v1/auth/refresh',
        jsonRequest({ refreshToken: session.refreshToken, deviceId }),
      );
      const after = refresh.status === 200 ? 'refresh works' : await errorCode(refresh);
      return `${response.status === 204 ? '204' : await errorCode(response)}, ${after}`;
    },
    expected: {
      ...everyone('403 forbidden, refresh works', '401 unauthorized, refresh works'),
      admin: '204, 401 device_revoked',
      // Another association's device is not theirs to name.
      'admin, other association': '404 not_found, refresh works',
    },
  },
  // A lost device's incident (L-BREACH): the association's administrators only; another association's
  // administrator is not told it exists.
  'GET /api/v1/admin/incidents': {
    probe: async (who) => {
      const id = await kadiIncident();
      const response = await env.app.request(INCIDENTS_PATH, { headers: await headers(who) });
      if (response.status !== 200) return await errorCode(response);
      const { incidents } = incidentsResponseSchema.parse(await response.json());
      return incidents.some((i) => i.id === id) ? '200 lists it' : '200 does not list it';
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200 lists it',
      'admin, other association': '200 does not list it',
    },
  },
  // Opening one revokes the device: its refresh token stops working.
  'POST /api/v1/admin/incidents': {
    probe: async (who) => {
      const { deviceId, refreshToken } = await rep1Device();
      const response = await env.app.request(INCIDENTS_PATH, {
        method: 'POST',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ deviceId, notes: 'فُقد في زيارة' }),
      });
      const refresh = await env.app.request('/api/v1/auth/refresh', jsonRequest({ refreshToken, deviceId }));
      const after = refresh.status === 200 ? 'refresh works' : await errorCode(refresh);
      return `${response.status === 201 ? '201' : await errorCode(response)}, ${after}`;
    },
    expected: {
      ...everyone('403 forbidden, refresh works', '401 unauthorized, refresh works'),
      admin: '201, 401 device_revoked',
      'admin, other association': '404 not_found, refresh works',
    },
  },
  'GET /api/v1/admin/incidents/:id': {
    probe: async (who) => {
      const response = await env.app.request(`${INCIDENTS_PATH}/${await kadiIncident()}`, {
        headers: await headers(who),
      });
      if (response.status !== 200) return await errorCode(response);
      const { beneficiaries } = incidentDetailSchema.parse(await response.json());
      return beneficiaries.some((b) => b.id === subject.beneficiaryId) ? '200 names it' : '200 does not';
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200 names it',
      'admin, other association': '404 not_found',
    },
  },
  'POST /api/v1/admin/incidents/:id/notified': {
    probe: async (who) => {
      const response = await env.app.request(`${INCIDENTS_PATH}/${await kadiIncident()}/notified`, {
        method: 'POST',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({}),
      });
      if (response.status !== 200) return await errorCode(response);
      return incidentSchema.parse(await response.json()).regulator === null ? '200 not recorded' : '200';
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200',
      'admin, other association': '404 not_found',
    },
  },
  'GET /api/v1/admin/incidents/:id/export': {
    probe: async (who) => {
      const response = await env.app.request(`${INCIDENTS_PATH}/${await kadiIncident()}/export`, {
        headers: await headers(who),
      });
      if (response.status !== 200) return await errorCode(response);
      const { csv } = incidentExportSchema.parse(await response.json());
      return csv.includes(subject.beneficiaryId) ? '200 exports it' : '200 without it';
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200 exports it',
      'admin, other association': '404 not_found',
    },
  },
  'GET /api/v1/profile': {
    probe: async (who) => {
      const response = await env.app.request(PROFILE_PATH, { headers: await headers(who) });
      if (response.status !== 200) return await errorCode(response);
      const { version, profile } = versionedProfileSchema.parse(await response.json());
      return `200 ${profile.code} v${String(version)}`;
    },
    expected: {
      ...everyone('200 kadi v1', '401 unauthorized'),
      'representative, other association': '200 bakkah v1',
      'admin, other association': '200 bakkah v1',
    },
  },
  // Each caller puts back their own association's profile unchanged: allowed to its administrators only.
  'PUT /api/v1/admin/profile': {
    probe: async (who) => {
      const own = await env.app.request(PROFILE_PATH, {
        headers: await headers(who === 'no token' ? 'admin' : who),
      });
      const { version, profile } = versionedProfileSchema.parse(await own.json());
      const response = await env.app.request(ADMIN_PROFILE_PATH, {
        method: 'PUT',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ baseVersion: version, profile }),
      });
      if (response.status !== 200) return await errorCode(response);
      return `200 v${String(((await response.json()) as { version: number }).version)}`;
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200 v1',
      'admin, other association': '200 v1',
    },
  },
  'GET /api/v1/admin/profile/versions': {
    probe: async (who) =>
      String(
        (await env.app.request(`${ADMIN_PROFILE_PATH}/versions`, { headers: await headers(who) })).status,
      ),
    expected: { ...everyone('403', '401'), admin: '200', 'admin, other association': '200' },
  },
  'GET /api/v1/admin/branches': {
    probe: async (who) => {
      const response = await env.app.request(ADMIN_BRANCHES_PATH, { headers: await headers(who) });
      if (response.status !== 200) return await errorCode(response);
      const { branches } = branchesResponseSchema.parse(await response.json());
      return branches.some((b) => b.id === env.branch.b1) ? '200 lists b1' : '200 does not list b1';
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200 lists b1',
      'admin, other association': '200 does not list b1',
    },
  },
  'POST /api/v1/admin/branches': {
    probe: async (who) => {
      const response = await env.app.request(ADMIN_BRANCHES_PATH, {
        method: 'POST',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ code: `m${String(++made)}`, nameAr: 'فرع', nameEn: 'Branch' }),
      });
      return response.status === 201 ? '201' : await errorCode(response);
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '201',
      'admin, other association': '201',
    },
  },
  'PATCH /api/v1/admin/branches/:id': {
    probe: async (who) => {
      const response = await env.app.request(`${ADMIN_BRANCHES_PATH}/${await kadiBranch()}`, {
        method: 'PATCH',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ nameEn: 'Renamed' }),
      });
      return response.status === 200 ? '200' : await errorCode(response);
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200',
      'admin, other association': '403 forbidden',
    },
  },
  'POST /api/v1/admin/branches/:id/close': {
    probe: async (who) => {
      const response = await env.app.request(`${ADMIN_BRANCHES_PATH}/${await kadiBranch()}/close`, {
        method: 'POST',
        headers: await headers(who),
      });
      return response.status === 200 ? '200' : await errorCode(response);
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200',
      'admin, other association': '403 forbidden',
    },
  },
  'GET /api/v1/admin/users': {
    probe: async (who) => {
      const response = await env.app.request(ADMIN_USERS_PATH, { headers: await headers(who) });
      if (response.status !== 200) return await errorCode(response);
      const { users } = usersResponseSchema.parse(await response.json());
      return users.some((u) => u.username === 'kadi.rep1') ? '200 lists kadi.rep1' : '200 does not list it';
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200 lists kadi.rep1',
      'admin, other association': '200 does not list it',
    },
  },
  'POST /api/v1/admin/users': {
    probe: async (who) => {
      const response = await env.app.request(ADMIN_USERS_PATH, {
        method: 'POST',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({
          username: `matrix.user${String(++made)}`,
          name: 'مشرف',
          role: 'supervisor',
          password: 'temporary-1',
        }),
      });
      return response.status === 201 ? '201' : await errorCode(response);
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '201',
      'admin, other association': '201',
    },
  },
  ...Object.fromEntries(
    (
      [
        ['PATCH', '', { name: 'اسم آخر' }],
        ['POST', '/disable', { reason: 'left the association' }],
        ['POST', '/enable', {}],
        ['POST', '/reset-password', { password: 'temporary-2' }],
      ] as const
    ).map(([method, action, body]) => [
      `${method} /api/v1/admin/users/:id${action}`,
      {
        probe: async (who: Who) => {
          const response = await env.app.request(`${ADMIN_USERS_PATH}/${await kadiUser()}${action}`, {
            method,
            headers: await headers(who, { 'Content-Type': 'application/json' }),
            body: JSON.stringify(body),
          });
          return response.status === 200 ? '200' : await errorCode(response);
        },
        expected: {
          ...everyone('403 forbidden', '401 unauthorized'),
          admin: '200',
          'admin, other association': '403 forbidden',
        },
      },
    ]),
  ),
  // The import of a caseload (a dry run naming the subject's national ID): the association's administrators
  // only; Kadi's is told the person exists, Bakkah's is answered from Bakkah's records and learns nothing.
  'POST /api/v1/admin/import': {
    probe: async (who) => {
      const response = await env.app.request(IMPORT_PATH, {
        method: 'POST',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({
          fileSha256: createHash('sha256').update(randomUUID()).digest('hex'),
          fileName: 'matrix.csv',
          dryRun: true,
          rows: [
            {
              row: 2,
              nationalId: '1000000008',
              fullName: 'صاحبة الملف',
              mobile: '0501234567',
              branchCode: 'b1',
            },
          ],
        }),
      });
      if (response.status !== 200) return await errorCode(response);
      const answer = importResponseSchema.parse(await response.json());
      return `200 accepts ${String(answer.accepted)}${answer.refused.map((p) => `, ${p.code}`).join('')}`;
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      admin: '200 accepts 0, import_exists',
      'admin, other association': '200 accepts 1',
    },
  },
  // A wrong current password: the answer says so to whoever has a session; nobody's password changes.
  'POST /api/v1/auth/password': {
    probe: async (who) =>
      await errorCode(
        await env.app.request(PASSWORD_PATH, {
          method: 'POST',
          headers: await headers(who, { 'Content-Type': 'application/json' }),
          body: JSON.stringify({ currentPassword: 'not-the-password', newPassword: 'another-one-1' }),
        }),
      ),
    expected: everyone('401 invalid_credentials', '401 unauthorized'),
  },
  'POST /api/v1/sync/push': {
    // A contact logged on the subject beneficiary.
    probe: async (who) => {
      const response = await env.app.request('/api/v1/sync/push', {
        method: 'POST',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({
          clientId: randomUUID(),
          mutations: [
            upsert(1, 'interaction', randomUUID(), {
              beneficiaryId: subject.beneficiaryId,
              channel: 'phone',
              summary: 'متابعة',
              occurredAt: '2026-11-22T09:00:00+03:00',
            }),
          ],
        }),
      });
      if (response.status !== 200) return await errorCode(response);
      const [result] = pushResponseSchema.parse(await response.json()).results;
      return result?.status === 'rejected' ? `rejected ${result.error.code}` : String(result?.status);
    },
    expected: {
      'representative, same branch': 'applied',
      'representative, other branch': 'rejected forbidden',
      'researcher, same branch': 'applied',
      'researcher, other branch': 'rejected forbidden',
      committee: 'applied',
      supervisor: 'applied',
      admin: 'rejected forbidden',
      // Not even told the beneficiary exists: in Bakkah's data it does not.
      'representative, other association': 'rejected parent_not_found',
      'admin, other association': 'rejected parent_not_found',
      'no token': '401 unauthorized',
    },
  },
  'GET /api/v1/sync/pull': {
    probe: async (who) => {
      const response = await env.app.request('/api/v1/sync/pull?cursor=&limit=5000', {
        headers: await headers(who),
      });
      if (response.status !== 200) return await errorCode(response);
      const { changes } = pullResponseSchema.parse(await response.json());
      return changes.some((c) => c.recordId === subject.beneficiaryId) ? 'sees' : 'does not see';
    },
    expected: {
      'representative, same branch': 'sees',
      'representative, other branch': 'does not see',
      'researcher, same branch': 'sees',
      'researcher, other branch': 'does not see',
      committee: 'sees',
      supervisor: 'sees',
      admin: 'does not see',
      'representative, other association': 'does not see',
      'admin, other association': 'does not see',
      'no token': '401 unauthorized',
    },
  },
  'POST /api/v1/attachments/uploads': {
    probe: async (who) => {
      const response = await env.app.request(UPLOADS_PATH, {
        method: 'POST',
        headers: await headers(who, {
          ...tusHeaders,
          'Upload-Length': '4',
          'Upload-Metadata': `sha256 ${b64(subject.sha256)},mimeType ${b64('image/jpeg')}`,
        }),
      });
      return response.status === 201 ? '201' : await errorCode(response);
    },
    // The administrator uploads the association's library documents.
    expected: everyone('201', '401 unauthorized'),
  },
  'OPTIONS /api/v1/attachments/uploads': {
    probe: async (who) =>
      String(
        (await env.app.request(UPLOADS_PATH, { method: 'OPTIONS', headers: await headers(who) })).status,
      ),
    expected: everyone('204', '401'),
  },
  'GET /api/v1/attachments/uploads/:id': {
    // GET reads nothing; HEAD (routed as GET) tells the offset to the upload's owner only.
    probe: async (who) => {
      const location = await rep1Upload();
      const get = await env.app.request(location, { headers: await headers(who, tusHeaders) });
      const head = await env.app.request(location, {
        method: 'HEAD',
        headers: await headers(who, tusHeaders),
      });
      return `GET ${get.status}, HEAD ${head.status}`;
    },
    expected: everyone('GET 404, HEAD 404', 'GET 401, HEAD 401'),
  },
  'PATCH /api/v1/attachments/uploads/:id': {
    probe: (who) =>
      onRep1Upload(
        who,
        'PATCH',
        { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        new Uint8Array([1]),
      ),
    expected: everyone('404', '401'),
  },
  'DELETE /api/v1/attachments/uploads/:id': {
    probe: (who) => onRep1Upload(who, 'DELETE'),
    expected: everyone('404', '401'),
  },
  'OPTIONS /api/v1/attachments/uploads/:id': {
    probe: (who) => onRep1Upload(who, 'OPTIONS'),
    expected: everyone('204', '401'),
  },
  'GET /api/v1/attachments/files/:sha256': {
    probe: async (who) => {
      const response = await env.app.request(`${FILES_PATH}/${subject.sha256}`, {
        headers: await headers(who),
      });
      if (response.status !== 200) return await errorCode(response);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return createHash('sha256').update(bytes).digest('hex') === subject.sha256 ? '200' : '200 other bytes';
    },
    expected: {
      'representative, same branch': '200',
      'representative, other branch': '404 not_found',
      'researcher, same branch': '200',
      'researcher, other branch': '404 not_found',
      committee: '200',
      supervisor: '200',
      admin: '404 not_found',
      'representative, other association': '404 not_found',
      'admin, other association': '404 not_found',
      'no token': '401 unauthorized',
    },
  },
  'HEAD /api/v1/attachments/files/:sha256': {
    probe: async (who) =>
      String(
        (
          await env.app.request(`${FILES_PATH}/${subject.sha256}`, {
            method: 'HEAD',
            headers: await headers(who),
          })
        ).status,
      ),
    expected: {
      'representative, same branch': '200',
      'representative, other branch': '404',
      'researcher, same branch': '200',
      'researcher, other branch': '404',
      committee: '200',
      supervisor: '200',
      admin: '404',
      'representative, other association': '404',
      'admin, other association': '404',
      'no token': '401',
    },
  },
  'POST /api/v1/beneficiaries/duplicates': {
    // Is the subject's national ID known? Named (id and name) to those who may read the file, by its branch
    // only to the other branch, never to another association; administrators do not register people.
    probe: async (who) => {
      const response = await env.app.request(DUPLICATES_PATH, {
        method: 'POST',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ nationalId: '1000000008' }),
      });
      if (response.status !== 200) return await errorCode(response);
      const { matches } = duplicateCheckResponseSchema.parse(await response.json());
      if (matches.some((m) => m.beneficiary?.id === subject.beneficiaryId)) return '200 named';
      if (matches.some((m) => m.beneficiary === null && m.branch?.nameEn === 'Branch 1'))
        return '200 branch only';
      return `200 ${matches.length === 0 ? 'none' : 'other'}`;
    },
    expected: {
      'representative, same branch': '200 named',
      'representative, other branch': '200 branch only',
      'researcher, same branch': '200 named',
      'researcher, other branch': '200 branch only',
      committee: '200 named',
      supervisor: '200 named',
      admin: '403 forbidden',
      'representative, other association': '200 none',
      'admin, other association': '403 forbidden',
      'no token': '401 unauthorized',
    },
  },
  'GET /api/v1/beneficiaries/:id/export': {
    probe: async (who) => {
      const response = await env.app.request(`${RIGHTS_PATH}/${subject.beneficiaryId}/export`, {
        headers: await headers(who),
      });
      if (response.status !== 200) return await errorCode(response);
      const doc = exportDocumentSchema.parse(await response.json());
      return doc.records.some((r) => r.recordId === subject.beneficiaryId)
        ? '200 exports it'
        : '200 without it';
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      committee: '200 exports it',
      supervisor: '200 exports it',
    },
  },
  'POST /api/v1/beneficiaries/:id/destroy': {
    // Destroying a beneficiary of branch 1 registered for the probe (the subject is kept for the others).
    probe: async (who) => {
      const id = randomUUID();
      await env.app.request(
        '/api/v1/sync/push',
        jsonRequest(
          {
            clientId: randomUUID(),
            mutations: [
              upsert(1, 'beneficiary', id, {
                branchId: env.branch.b1,
                fullName: 'طالب الإتلاف',
                nationalId: '1000000008',
                mobile: '+966501234567',
              }),
            ],
          },
          await tokenOf('kadi.rep1'),
        ),
      );
      const response = await env.app.request(`${RIGHTS_PATH}/${id}/destroy`, {
        method: 'POST',
        headers: await headers(who, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ reason: 'طلب إتلاف رقم 1' }),
      });
      if (response.status !== 200) return await errorCode(response);
      return `200 ${destroyResponseSchema.parse(await response.json()).records} destroyed`;
    },
    expected: {
      ...everyone('403 forbidden', '401 unauthorized'),
      committee: '200 1 destroyed',
      supervisor: '200 1 destroyed',
    },
  },
  'ALL /api/*': {
    probe: async (who) =>
      await errorCode(await env.app.request('/api/v1/no-such-route', { headers: await headers(who) })),
    expected: everyone('404 not_found', '401 unauthorized'),
  },
};

describe('authorization matrix', () => {
  it('has a row for every route of the app, and no row for a route that does not exist', () => {
    // Routes, not middleware: Hono lists both; a middleware handler takes (c, next).
    const routes = env.app.routes.filter((r) => r.handler.length < 2).map((r) => `${r.method} ${r.path}`);
    expect([...new Set(routes)].sort()).toEqual(Object.keys(matrix).sort());
  });

  for (const [route, { probe, expected }] of Object.entries(matrix)) {
    it(route, async () => {
      const observed: Partial<Row> = {};
      for (const who of Object.keys(callers) as Who[]) observed[who] = await probe(who);
      expect(observed).toEqual(expected);
    });
  }
});
