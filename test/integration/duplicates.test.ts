// The server's duplicate check at registration: the whole association's beneficiaries and household
// members, by national ID or mobile; another branch's file named by its branch only; audited; limited.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DUPLICATE_CHECKS_PER_WINDOW } from '../../server/http/app';
import { isValidNationalId } from '../../src/domain/national-id';
import { DUPLICATES_PATH, duplicateCheckResponseSchema } from '../../src/protocol/duplicates';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { pushResponseSchema, type Mutation } from '../../src/protocol/sync';
import { jsonRequest, upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();

/** A valid national ID (or iqama) beginning with these nine digits. */
function validId(first9: string): string {
  for (let d = 0; d <= 9; d++) if (isValidNationalId(first9 + String(d))) return first9 + String(d);
  throw new Error(`no check digit for ${first9}`);
}

const ids = {
  b1Head: validId('110000001'),
  b1Member: validId('110000002'),
  b2Head: validId('210000003'),
  deleted: validId('110000004'),
  unknown: validId('110000005'),
};
const mobiles = { b1: '+966501110001', b2: '+966501110002', shared: '+966501110003' };
const records = {
  b1: randomUUID(),
  b2: randomUUID(),
  member: randomUUID(),
  gone: randomUUID(),
  b2Twin: randomUUID(),
};

async function push(username: string, mutations: Mutation[]) {
  const response = await env.app.request(
    '/api/v1/sync/push',
    jsonRequest({ clientId: randomUUID(), mutations }, await env.tokenOf(username)),
  );
  return pushResponseSchema.parse(await response.json()).results.map((r) => r.status);
}

async function check(username: string, body: unknown) {
  return env.app.request(DUPLICATES_PATH, jsonRequest(body, await env.tokenOf(username)));
}

async function matchesOf(username: string, body: unknown) {
  const response = await check(username, body);
  expect(response.status).toBe(200);
  return duplicateCheckResponseSchema.parse(await response.json()).matches;
}

beforeAll(async () => {
  const person = (branchId: string, fullName: string, nationalId: string, mobile: string) => ({
    branchId,
    fullName,
    nationalId,
    mobile,
  });
  expect(
    await push('kadi.rep1', [
      upsert(
        1,
        'beneficiary',
        records.b1,
        person(env.branch.b1 ?? '', 'أحمد علي القحطاني', ids.b1Head, mobiles.b1),
      ),
      upsert(2, 'household_member', records.member, {
        beneficiaryId: records.b1,
        name: { first: 'سارة', father: 'أحمد', grandfather: 'علي', family: 'القحطاني' },
        relation: 'daughter',
        birthDate: '2015-03-01',
        nationalId: ids.b1Member,
        collectedViaHead: true,
      }),
      upsert(3, 'beneficiary', records.gone, person(env.branch.b1 ?? '', 'محذوف', ids.deleted, mobiles.b1)),
      { ...upsert(4, 'beneficiary', records.gone, {}), op: 'delete', baseVersion: 0 },
    ]),
  ).toEqual(['applied', 'applied', 'applied', 'applied']);
  expect(
    await push('kadi.rep2', [
      upsert(
        1,
        'beneficiary',
        records.b2,
        person(env.branch.b2 ?? '', 'خالد سعد العتيبي', ids.b2Head, mobiles.shared),
      ),
      upsert(
        2,
        'beneficiary',
        records.b2Twin,
        person(env.branch.b2 ?? '', 'نورة سعد العتيبي', validId('110000006'), mobiles.shared),
      ),
    ]),
  ).toEqual(['applied', 'applied']);
});

describe('duplicate check on the server', () => {
  it("names another branch's beneficiary by the branch only: no name, no record id", async () => {
    expect(await matchesOf('kadi.rep1', { nationalId: ids.b2Head })).toEqual([
      {
        as: 'beneficiary',
        reasons: ['national_id'],
        branch: { nameAr: 'الفرع الثاني', nameEn: 'Branch 2' },
        beneficiary: null,
      },
    ]);
  });

  it("gives the caller's own branch's beneficiary by id and name, as it may read them anyway", async () => {
    expect(await matchesOf('kadi.rep1', { nationalId: ids.b1Head })).toEqual([
      {
        as: 'beneficiary',
        reasons: ['national_id'],
        branch: { nameAr: 'الفرع الأول', nameEn: 'Branch 1' },
        beneficiary: { id: records.b1, fullName: 'أحمد علي القحطاني' },
      },
    ]);
  });

  it('finds a national ID listed in a household, naming the beneficiary who heads it', async () => {
    expect(await matchesOf('kadi.rep1', { nationalId: ids.b1Member })).toEqual([
      expect.objectContaining({
        as: 'household_member',
        reasons: ['national_id'],
        beneficiary: { id: records.b1, fullName: 'أحمد علي القحطاني' },
      }),
    ]);
    // From the other branch, the same household is named by its branch only.
    expect(await matchesOf('kadi.rep2', { nationalId: ids.b1Member })).toEqual([
      expect.objectContaining({ as: 'household_member', beneficiary: null }),
    ]);
  });

  it('merges a record matched by both national ID and mobile, and lists the national ID match first', async () => {
    const found = await matchesOf('kadi.rep1', { nationalId: ids.b2Head, mobile: mobiles.shared });
    expect(found.map((m) => m.reasons)).toEqual([['national_id', 'mobile'], ['mobile']]);
  });

  it('leaves out deleted records, and answers an unknown number with no matches', async () => {
    expect(await matchesOf('kadi.rep1', { nationalId: ids.deleted })).toEqual([]);
    expect(await matchesOf('kadi.rep1', { nationalId: ids.unknown, mobile: '+966509999999' })).toEqual([]);
  });

  it('lets a supervisor, who sees the whole association, read every match', async () => {
    const found = await matchesOf('kadi.supervisor', { nationalId: ids.b2Head });
    expect(found[0]?.beneficiary).toEqual({ id: records.b2, fullName: 'خالد سعد العتيبي' });
  });

  it("never answers from another association's records", async () => {
    expect(await matchesOf('bakkah.rep1', { nationalId: ids.b2Head, mobile: mobiles.shared })).toEqual([]);
  });

  it('refuses an administrator (403), a caller without a token (401) and bad input (400, field named)', async () => {
    const admin = await check('kadi.admin', { nationalId: ids.b1Head });
    expect(admin.status).toBe(403);
    expect(apiErrorBodySchema.parse(await admin.json()).error.code).toBe('forbidden');
    const anonymous = await env.app.request(DUPLICATES_PATH, jsonRequest({ nationalId: ids.b1Head }));
    expect(anonymous.status).toBe(401);
    for (const body of [{}, { nationalId: '1234567890' }, { mobile: '0501234567' }]) {
      const bad = await check('kadi.rep1', body);
      expect(bad.status).toBe(400);
      const error = apiErrorBodySchema.parse(await bad.json()).error;
      expect(error.code).toBe('invalid_request');
      expect(JSON.stringify(error.details)).toMatch(/national_id|phone/);
    }
  });

  it('records in the audit log each record an answer named, and not the number looked up', async () => {
    await matchesOf('kadi.supervisor', { mobile: mobiles.shared });
    const rows = await env.db.query<{ record_id: string; entity: string }>(
      `SELECT a.record_id, a.entity FROM audit_log a JOIN users u ON u.id = a.user_id
        WHERE u.username = 'kadi.supervisor' AND a.action = 'lookup'`,
    );
    expect(rows.map((r) => r.record_id).sort()).toEqual(expect.arrayContaining([records.b2, records.b2Twin]));
    const all = JSON.stringify(await env.db.query(`SELECT * FROM audit_log WHERE action = 'lookup'`));
    expect(all).not.toContain(mobiles.shared);
    expect(all).not.toContain(ids.b2Head);
  });

  it(`refuses a user's check beyond ${DUPLICATE_CHECKS_PER_WINDOW} in the window with 429 and Retry-After`, async () => {
    for (let i = 0; i < DUPLICATE_CHECKS_PER_WINDOW; i++) {
      expect((await check('kadi.rep1b', { nationalId: ids.unknown })).status).toBe(200);
    }
    const refused = await check('kadi.rep1b', { nationalId: ids.unknown });
    expect(refused.status).toBe(429);
    expect(apiErrorBodySchema.parse(await refused.json()).error.code).toBe('too_many_attempts');
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Another user is not held back by it.
    expect((await check('kadi.rep2', { nationalId: ids.unknown })).status).toBe(200);
  });
});
