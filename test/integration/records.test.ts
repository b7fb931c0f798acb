// The server follows each association's policy profile and validates records with the app's own function.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionedProfileSchema } from '../../src/protocol/profile';
import { profileOfAssociation } from '../../server/services/records';
import { validateEntity } from '../../src/protocol/validate';
import type { EntityName } from '../../src/protocol/entities';
import { bearer, createTestDb, jsonRequest, seedTenants, testApp, type TestDb } from './helpers';

let t: TestDb;
let app: ReturnType<typeof testApp>['app'];
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  const admin = await seedTenants(t.db);
  ids.kadi = await admin.associationId('kadi');
  ids.bakkah = await admin.associationId('bakkah');
  app = testApp(t.db).app;
});
afterAll(async () => {
  await t.drop();
});

async function tokenOf(username: string) {
  const response = await app.request(
    '/api/v1/auth/login',
    jsonRequest({
      username,
      password: 'correct-horse',
      deviceId: '5b1c2d3e-4f50-4a61-8b72-9c83d4e5f601',
      deviceName: 't',
    }),
  );
  return ((await response.json()) as { accessToken: string }).accessToken;
}

describe('GET /api/v1/profile', () => {
  it('K-PROC-f gives each user their own association’s profile: Kadi’s 15 working days, Bakkah’s two weeks', async () => {
    const { version, profile: kadi } = versionedProfileSchema.parse(
      await (await app.request('/api/v1/profile', bearer(await tokenOf('kadi.rep1')))).json(),
    );
    // The seed is the association's version 1, kept on the server.
    expect(version).toBe(1);
    expect(kadi.code).toBe('kadi');
    expect(kadi.deadlineRule).toEqual({ kind: 'dueWithin', workingDays: 15, from: 'completion' });
    const { profile: bakkah } = versionedProfileSchema.parse(
      await (await app.request('/api/v1/profile', bearer(await tokenOf('bakkah.admin')))).json(),
    );
    expect(bakkah.code).toBe('bakkah');
    expect(bakkah.deadlineRule.kind).toBe('notBefore');
  });

  it('needs a token', async () => {
    expect((await app.request('/api/v1/profile')).status).toBe(401);
  });
});

describe('server-side validation', () => {
  // What the sync service does with each incoming record: the association's profile, then validateEntity.
  const validateIncoming = async (associationId: string, entity: EntityName, data: unknown) =>
    validateEntity(entity, data, await profileOfAssociation(t.db, associationId));

  const at = '2026-11-22T09:00:00+03:00';
  const interaction = (_associationId: string, channel: string) => ({
    beneficiaryId: '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f609',
    channel,
    summary: 'استفسار عن موعد الرد',
    occurredAt: at,
    direction: 'incoming',
    kind: 'inquiry',
    answer: 'خلال خمسة عشر يوم عمل من اكتمال الطلب',
  });

  it('C-CH K-CH K-INFO-b accepts a contact by the association’s own channel and refuses another’s, with the field and code', async () => {
    expect(
      await validateIncoming(ids.kadi ?? '', 'interaction', interaction(ids.kadi ?? '', 'fax')),
    ).toMatchObject({ ok: true });
    expect(
      await validateIncoming(ids.bakkah ?? '', 'interaction', interaction(ids.bakkah ?? '', 'fax')),
    ).toEqual({
      ok: false,
      errors: [{ path: 'channel', code: 'channel_not_in_profile' }],
    });
    expect(
      await validateIncoming(
        ids.bakkah ?? '',
        'interaction',
        interaction(ids.bakkah ?? '', 'branch_representative'),
      ),
    ).toMatchObject({
      ok: true,
    });
  });
});
