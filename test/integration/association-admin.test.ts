// The association runs itself (issue 19): its administrator adds branches and people, disables and resets
// accounts, and edits the policy profile as versioned data, all over the HTTP API with its stable codes.
// Runs on PGlite (npm test) and PostgreSQL (npm run test:pg).
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import {
  ADMIN_BRANCHES_PATH,
  ADMIN_PROFILE_PATH,
  ADMIN_USERS_PATH,
  branchSchema,
  PASSWORD_PATH,
  PROFILE_PATH,
  profileHistorySchema,
  userSchema,
  usersResponseSchema,
} from '../../src/protocol/admin';
import { loginResponseSchema, meResponseSchema } from '../../src/protocol/auth';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { versionedProfileSchema } from '../../src/protocol/profile';
import { pullResponseSchema } from '../../src/protocol/sync';
import { apiCall, useKadiTestApp } from './helpers';
import { AID_ITEMS, honestIntake, outcomeOf, stepClient, storedCase, userIdOf } from './steps';

const env = useKadiTestApp();

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const response = await env.app.request(path, apiCall(method, token, body));
  const text = await response.text();
  const json: unknown = text === '' ? null : JSON.parse(text);
  const error = apiErrorBodySchema.safeParse(json);
  return { status: response.status, json, code: error.success ? error.data.error.code : null, error };
}

async function login(username: string, password: string, deviceId = randomUUID()) {
  const response = await call('POST', '/api/v1/auth/login', null, {
    username,
    password,
    deviceId,
    deviceName: 'admin test',
  });
  return { ...response, body: response.status === 200 ? loginResponseSchema.parse(response.json) : null };
}

const admin = () => env.tokenOf('kadi.admin');

async function newUser(role: string, branch: string | null, username = `kadi.u${randomUUID().slice(0, 8)}`) {
  const created = await call('POST', ADMIN_USERS_PATH, await admin(), {
    username,
    name: 'موظف جديد',
    role,
    branchId: branch,
    password: 'temporary-pass',
  });
  expect(created.status).toBe(201);
  return { ...userSchema.parse(created.json), username };
}

describe('branches', () => {
  it('an administrator adds and renames a branch; a taken code and a bad body are refused with their codes', async () => {
    const created = await call('POST', ADMIN_BRANCHES_PATH, await admin(), {
      code: 'east',
      nameAr: 'فرع الشرق',
      nameEn: 'East',
    });
    expect(created.status).toBe(201);
    const branch = branchSchema.parse(created.json);
    expect(branch).toMatchObject({ code: 'east', nameAr: 'فرع الشرق', closedAt: null, beneficiaries: 0 });
    const again = await call('POST', ADMIN_BRANCHES_PATH, await admin(), {
      code: 'east',
      nameAr: 'س',
      nameEn: 'S',
    });
    expect([again.status, again.code]).toEqual([409, 'already_exists']);
    const bad = await call('POST', ADMIN_BRANCHES_PATH, await admin(), { code: 'Not A Code!', nameAr: '' });
    expect([bad.status, bad.code]).toEqual([400, 'invalid_request']);
    const renamed = await call('PATCH', `${ADMIN_BRANCHES_PATH}/${branch.id}`, await admin(), {
      nameEn: 'Eastern branch',
    });
    expect(branchSchema.parse(renamed.json).nameEn).toBe('Eastern branch');
  });

  it('a branch closes only once its beneficiaries, open requests and staff have moved; the refusal says which', async () => {
    const b1 = env.branch.b1 ?? '';
    const refused = await call('POST', `${ADMIN_BRANCHES_PATH}/${b1}/close`, await admin());
    expect([refused.status, refused.code]).toEqual([409, 'branch_not_empty']);
    expect(refused.error.success && refused.error.data.error.details).toMatchObject({
      staff: expect.arrayContaining(['kadi.rep1', 'kadi.researcher']) as unknown,
    });
    const empty = branchSchema.parse(
      (await call('POST', ADMIN_BRANCHES_PATH, await admin(), { code: 'tmp', nameAr: 'مؤقت', nameEn: 'Tmp' }))
        .json,
    );
    const closed = await call('POST', `${ADMIN_BRANCHES_PATH}/${empty.id}/close`, await admin());
    expect(branchSchema.parse(closed.json).closedAt).not.toBeNull();
    // Nobody is placed in a closed branch.
    const placed = await call('POST', ADMIN_USERS_PATH, await admin(), {
      username: 'kadi.late',
      name: 'x',
      role: 'representative',
      branchId: empty.id,
      password: 'temporary-pass',
    });
    expect([placed.status, placed.code]).toEqual([400, 'invalid_request']);
  });
});

describe('people', () => {
  it('a new member of staff signs in with a temporary password and must change it before anything else', async () => {
    const user = await newUser('representative', env.branch.b1 ?? '');
    expect(user.mustChangePassword).toBe(true);
    const first = await login(user.username, 'temporary-pass');
    expect(first.body?.mustChangePassword).toBe(true);
    // The association's profile comes with the sign-in.
    expect(first.body?.profile?.version).toBe(1);
    const token = first.body?.accessToken ?? '';
    const pull = await call('GET', '/api/v1/sync/pull?limit=1', token);
    expect([pull.status, pull.code]).toEqual([403, 'password_change_required']);
    expect((await call('GET', '/api/v1/me', token)).status).toBe(200);
    expect((await call('GET', PROFILE_PATH, token)).status).toBe(200);
    const wrong = await call('POST', PASSWORD_PATH, token, {
      currentPassword: 'not-it',
      newPassword: 'my-own-password',
    });
    expect(wrong.code).toBe('invalid_credentials');
    const same = await call('POST', PASSWORD_PATH, token, {
      currentPassword: 'temporary-pass',
      newPassword: 'temporary-pass',
    });
    expect(same.code).toBe('invalid_request');
    const changed = await call('POST', PASSWORD_PATH, token, {
      currentPassword: 'temporary-pass',
      newPassword: 'my-own-password',
    });
    expect(changed.status).toBe(204);
    expect((await call('GET', '/api/v1/sync/pull?limit=1', token)).status).toBe(200);
    expect((await login(user.username, 'temporary-pass')).code).toBe('invalid_credentials');
    expect((await login(user.username, 'my-own-password')).body?.mustChangePassword).toBe(false);
  });

  it('a disabled account is shut out at once, on every device: its tokens, its refresh and its sign-in', async () => {
    const user = await newUser('representative', env.branch.b2 ?? '');
    const first = await login(user.username, 'temporary-pass');
    const token = first.body?.accessToken ?? '';
    await call('POST', PASSWORD_PATH, token, {
      currentPassword: 'temporary-pass',
      newPassword: 'their-password',
    });
    const sessionDevices = new Map<string, string>();
    const onDevice = async () => {
      const deviceId = randomUUID();
      const signedIn = await login(user.username, 'their-password', deviceId);
      sessionDevices.set(signedIn.body?.refreshToken ?? '', deviceId);
      return signedIn;
    };
    const tablet = await onDevice();
    const phone = await onDevice();
    // The console's button waits for a reason; a client that sends blanks is refused, and nothing changes.
    const blank = await call('POST', `${ADMIN_USERS_PATH}/${user.id}/disable`, await admin(), {
      reason: '   ',
    });
    expect([blank.status, blank.code]).toEqual([400, 'invalid_request']);
    expect((await call('GET', '/api/v1/me', phone.body?.accessToken ?? null)).status).toBe(200);
    const disabled = await call('POST', `${ADMIN_USERS_PATH}/${user.id}/disable`, await admin(), {
      reason: 'left the association',
    });
    expect(userSchema.parse(disabled.json)).toMatchObject({ disabledReason: 'left the association' });
    for (const session of [tablet.body, phone.body]) {
      const read = await call('GET', '/api/v1/sync/pull?limit=1', session?.accessToken ?? '');
      expect([read.status, read.code]).toEqual([403, 'account_disabled']);
      const refresh = await call('POST', '/api/v1/auth/refresh', null, {
        refreshToken: session?.refreshToken,
        deviceId: session === null ? '' : sessionDevices.get(session.refreshToken),
      });
      expect([refresh.status, refresh.code]).toEqual([403, 'account_disabled']);
    }
    // A new browser does not help: the account itself is disabled.
    const again = await login(user.username, 'their-password');
    expect([again.status, again.code]).toEqual([403, 'account_disabled']);
    await call('POST', `${ADMIN_USERS_PATH}/${user.id}/enable`, await admin());
    expect((await login(user.username, 'their-password')).status).toBe(200);
    // The administrator cannot shut themself out.
    const self = await call(
      'POST',
      `${ADMIN_USERS_PATH}/${await userIdOf(env, 'kadi.admin')}/disable`,
      await admin(),
      {
        reason: 'x',
      },
    );
    expect(self.code).toBe('invalid_request');
  });

  it('a reset password is temporary again and ends the old sessions; a change of role applies at once', async () => {
    const user = await newUser('representative', env.branch.b1 ?? '');
    const first = await login(user.username, 'temporary-pass');
    await call('POST', PASSWORD_PATH, first.body?.accessToken ?? '', {
      currentPassword: 'temporary-pass',
      newPassword: 'forgotten-one',
    });
    const session = await login(user.username, 'forgotten-one');
    // Promoted to researcher: the next request is a researcher's (a representative cannot write a report).
    const promoted = await call('PATCH', `${ADMIN_USERS_PATH}/${user.id}`, await admin(), {
      role: 'researcher',
      name: 'باحث',
    });
    expect(userSchema.parse(promoted.json)).toMatchObject({ role: 'researcher', name: 'باحث' });
    const me = await call('GET', '/api/v1/me', session.body?.accessToken ?? '');
    expect(meResponseSchema.parse(me.json).user.role).toBe('researcher');
    const reset = await call('POST', `${ADMIN_USERS_PATH}/${user.id}/reset-password`, await admin(), {
      password: 'new-temporary',
    });
    expect(userSchema.parse(reset.json).mustChangePassword).toBe(true);
    const old = await call('GET', '/api/v1/me', session.body?.accessToken ?? '');
    expect([old.status, old.code]).toEqual([401, 'session_revoked']);
    expect((await login(user.username, 'new-temporary')).body?.mustChangePassword).toBe(true);
  });

  it("a device's recovery key: given at the first sign-in on a device and after a reset, the same both times, and not otherwise", async () => {
    const user = await newUser('supervisor', null);
    const tablet = randomUUID();
    const first = await login(user.username, 'temporary-pass', tablet);
    expect(first.body?.deviceKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await call('POST', PASSWORD_PATH, first.body?.accessToken ?? '', {
      currentPassword: 'temporary-pass',
      newPassword: 'their-own-1',
    });
    // An ordinary sign-in on the same device: no key.
    expect((await login(user.username, 'their-own-1', tablet)).body?.deviceKey).toBeUndefined();
    // Another device: its own key.
    const phone = await login(user.username, 'their-own-1');
    expect(phone.body?.deviceKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(phone.body?.deviceKey).not.toBe(first.body?.deviceKey);
    // After a reset, the tablet's key again, which opens what the tablet keeps.
    await call('POST', `${ADMIN_USERS_PATH}/${user.id}/reset-password`, await admin(), {
      password: 'reset-one-1',
    });
    expect((await login(user.username, 'reset-one-1', tablet)).body?.deviceKey).toBe(first.body?.deviceKey);
    const wrong = await login(user.username, 'their-own-1', tablet);
    expect([wrong.status, JSON.stringify(wrong.json).includes('deviceKey')]).toEqual([401, false]);
  });

  it("another association's administrator is refused (403); an id that names nobody is not found (404)", async () => {
    const user = await newUser('supervisor', null);
    const bakkah = await env.tokenOf('bakkah.admin');
    const theirs = await call('POST', `${ADMIN_USERS_PATH}/${user.id}/disable`, bakkah, { reason: 'x' });
    expect([theirs.status, theirs.code]).toEqual([403, 'forbidden']);
    const branch = await call('PATCH', `${ADMIN_BRANCHES_PATH}/${env.branch.b1 ?? ''}`, bakkah, {
      nameEn: 'x',
    });
    expect([branch.status, branch.code]).toEqual([403, 'forbidden']);
    const nobody = await call('POST', `${ADMIN_USERS_PATH}/${randomUUID()}/disable`, await admin(), {
      reason: 'x',
    });
    expect([nobody.status, nobody.code]).toEqual([404, 'not_found']);
    // And nothing changed for the user.
    const users = await call('GET', ADMIN_USERS_PATH, await admin());
    const listed = usersResponseSchema.parse(users.json).users.find((u) => u.id === user.id);
    expect(listed?.disabledAt).toBeNull();
  });

  it("a member of staff moved to another branch pulls again from the start, and receives the new branch's caseload", async () => {
    const user = await newUser('representative', env.branch.b1 ?? '');
    const first = await login(user.username, 'temporary-pass');
    const token = first.body?.accessToken ?? '';
    await call('POST', PASSWORD_PATH, token, {
      currentPassword: 'temporary-pass',
      newPassword: 'their-own-1',
    });
    const session = (await login(user.username, 'their-own-1')).body?.accessToken ?? '';
    // A beneficiary of branch 2, which the user does not see yet.
    const elsewhere = randomUUID();
    const rep2 = stepClient(env, 'kadi.rep2');
    await rep2.push([
      rep2.upsert('beneficiary', elsewhere, {
        branchId: env.branch.b2,
        fullName: 'مستفيدة الفرع الثاني',
        nationalId: '1000000008',
        mobile: '+966501234567',
      }),
    ]);
    const pullAll = async (cursor: string) => {
      const seen: string[] = [];
      for (let c = cursor; ;) {
        const page = await call('GET', `/api/v1/sync/pull?limit=500&cursor=${c}`, session);
        if (page.status !== 200) return { status: page.status, code: page.code, seen, cursor: c };
        const body = pullResponseSchema.parse(page.json);
        seen.push(...body.changes.map((ch) => ch.recordId));
        c = body.cursor;
        if (!body.hasMore) return { status: 200, code: null, seen, cursor: c };
      }
    };
    const before = await pullAll('');
    expect(before.seen).not.toContain(elsewhere);
    await call('PATCH', `${ADMIN_USERS_PATH}/${user.id}`, await admin(), { branchId: env.branch.b2 });
    // The cursor from the old branch is refused: the device starts over…
    const stale = await pullAll(before.cursor);
    expect([stale.status, stale.code]).toEqual([410, 'resync_required']);
    // …and from the start sees the new branch's records, then keeps a cursor that is accepted.
    const again = await pullAll('');
    expect(again.seen).toContain(elsewhere);
    expect((await pullAll(again.cursor)).status).toBe(200);
  });

  it('a username is taken once; a role and a branch go together', async () => {
    const taken = await call('POST', ADMIN_USERS_PATH, await admin(), {
      username: 'kadi.rep1',
      name: 'x',
      role: 'representative',
      branchId: env.branch.b1,
      password: 'temporary-pass',
    });
    expect([taken.status, taken.code]).toEqual([409, 'already_exists']);
    const noBranch = await call('POST', ADMIN_USERS_PATH, await admin(), {
      username: 'kadi.nobranch',
      name: 'x',
      role: 'representative',
      password: 'temporary-pass',
    });
    expect([noBranch.status, noBranch.code]).toEqual([400, 'invalid_request']);
    const short = await call('POST', ADMIN_USERS_PATH, await admin(), {
      username: 'kadi.short',
      name: 'x',
      role: 'supervisor',
      password: 'short',
    });
    expect(short.status).toBe(400);
  });
});

describe('the policy profile, versioned', () => {
  const current = async () =>
    versionedProfileSchema.parse((await call('GET', PROFILE_PATH, await env.tokenOf('kadi.rep1'))).json);
  const put = async (baseVersion: number, profile: PolicyProfile) =>
    call('PUT', ADMIN_PROFILE_PATH, await admin(), { baseVersion, profile });

  it('a save on an old version is a 409, an invalid profile a 400 with its fields, and every version is kept', async () => {
    const { version, profile } = await current();
    const edited: PolicyProfile = {
      ...profile,
      contactOfficers: profile.contactOfficers.map((o) =>
        o.id === 'families'
          ? { ...o, name: 'نورة العتيبي', phone: '+966 11 234 5678', hours: { ar: '8–2', en: '8–2' } }
          : o,
      ),
    };
    const saved = await put(version, edited);
    expect(saved.json).toEqual({ version: version + 1 });
    const stale = await put(version, profile);
    expect([stale.status, stale.code]).toEqual([409, 'version_conflict']);
    const invalid = await put(version + 1, { ...edited, serviceTypes: [] });
    expect([invalid.status, invalid.code]).toEqual([400, 'invalid_request']);
    const duplicate = await put(version + 1, {
      ...edited,
      categories: [...edited.categories, { id: 'family', label: { ar: 'مكرر', en: 'Twice' } }],
    });
    expect(duplicate.error.success && duplicate.error.data.error.details).toEqual({
      fields: [{ path: 'categories.2.id', message: 'Duplicate id "family".' }],
    });
    expect((await current()).profile.contactOfficers[0]?.name).toBe('نورة العتيبي');
    const history = profileHistorySchema.parse(
      (await call('GET', `${ADMIN_PROFILE_PATH}/versions`, await admin())).json,
    );
    expect(history.versions[0]).toMatchObject({ version: version + 1, changes: ['contactOfficers'] });
    expect(history.versions[0]?.changedBy).toBe('مدير');
    expect(history.versions.at(-1)?.version).toBe(1);
    // Every version can still be read.
    const first = versionedProfileSchema.parse(
      (await call('GET', `${PROFILE_PATH}?version=1`, await env.tokenOf('kadi.rep1'))).json,
    );
    expect(first.profile.contactOfficers[0]?.name).toBeUndefined();
  });

  it('a request taken under one version keeps its rules after the next changes its service; new ones follow the new', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const repId = await userIdOf(env, 'kadi.rep1');
    // Opened (and carried to its signature) under the version in force now.
    const before = await honestIntake(env, rep, repId);
    expect((await rep.push(before.mutations)).map(outcomeOf).every((o) => o === 'applied')).toBe(true);
    const opened = await current();
    expect((await storedCase(env, before.caseId))?.data.profileVersion).toBe(opened.version);

    // The administrator adds a required document to the aid service.
    const stricter: PolicyProfile = {
      ...opened.profile,
      serviceTypes: opened.profile.serviceTypes.map((s) =>
        s.id === 'aid'
          ? {
              ...s,
              requirements: [
                ...s.requirements,
                { id: 'bank_statement', kind: 'document', label: { ar: 'كشف حساب', en: 'Bank statement' } },
              ],
            }
          : s,
      ),
    };
    const saved = await put(opened.version, stricter);
    expect(saved.status).toBe(200);

    // The earlier request submits on its own version's items.
    const [submitted] = await rep.push([rep.step(before.caseId, { type: 'submit' })]);
    expect(submitted === undefined ? 'none' : outcomeOf(submitted)).toBe('applied');
    expect((await storedCase(env, before.caseId))?.data.status).toBe('submitted');

    // A request taken offline under the earlier version, synced only now: it keeps that version's rules.
    const offline = await honestIntake(env, rep, repId);
    const tookUnder = offline.mutations.map((m) =>
      m.event?.type === 'opened' ? { ...m, event: { ...m.event, profileVersion: opened.version } } : m,
    );
    await rep.push(tookUnder);
    expect((await storedCase(env, offline.caseId))?.data.profileVersion).toBe(opened.version);
    const [offlineSubmitted] = await rep.push([rep.step(offline.caseId, { type: 'submit' })]);
    expect(offlineSubmitted === undefined ? 'none' : outcomeOf(offlineSubmitted)).toBe('applied');

    // A request opened now needs the new document too.
    const after = await honestIntake(env, rep, repId);
    await rep.push(after.mutations);
    expect((await storedCase(env, after.caseId))?.data.profileVersion).toBe(opened.version + 1);
    const [refused] = await rep.push([rep.step(after.caseId, { type: 'submit' })]);
    expect(refused === undefined ? 'none' : outcomeOf(refused)).toBe('case_missing_required_items');
    expect(AID_ITEMS).not.toContain('bank_statement');
  });

  it('L-CONSENT a reworded privacy notice is a new version, and consent to the old one no longer counts', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const repId = await userIdOf(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, repId);
    // Registered, opened and given the items, with consent to the notice in force: not yet signed.
    await rep.push(intake.mutations.slice(0, -1));
    const { version, profile } = await current();
    const text = { ar: 'نص جديد لإشعار الخصوصية.', en: 'A new privacy notice.' };
    const sameVersion = await put(version, { ...profile, privacyNotice: { version: '2026-11', text } });
    expect(sameVersion.error.success && sameVersion.error.data.error.details).toEqual({
      fields: [{ path: 'privacyNotice.version', message: 'must change with the text' }],
    });
    expect((await put(version, { ...profile, privacyNotice: { version: '2026-12-06', text } })).status).toBe(
      200,
    );
    const [signed] = await rep.push([
      intake.mutations.at(-1) ?? rep.step(intake.caseId, { type: 'verified' }),
    ]);
    expect(signed === undefined ? 'none' : outcomeOf(signed)).toBe('case_consent_missing');
  });

  it("a library document is a file an administrator uploaded, never a beneficiary's document", async () => {
    const { version, profile } = await current();
    // A document photo of a beneficiary, uploaded by the representative and named by an attachment.
    const bytes = new TextEncoder().encode(`id copy ${randomUUID()}`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await env.upload('kadi.rep1', bytes);
    const asLibrary = (hash: string): PolicyProfile => ({
      ...profile,
      tools: profile.tools.map((t, i) =>
        i === 0
          ? { ...t, document: { sha256: hash, mimeType: 'application/pdf', size: 10, fileName: 'x.pdf' } }
          : t,
      ),
    });
    const refused = await put(version, asLibrary(sha256));
    expect([refused.status, refused.code]).toEqual([400, 'invalid_request']);
    // The administrator's own upload is accepted.
    const own = new TextEncoder().encode(`%PDF-1.4 bylaws ${randomUUID()}`);
    const ownHash = createHash('sha256').update(own).digest('hex');
    await env.upload('kadi.admin', own);
    expect((await put(version, asLibrary(ownHash))).status).toBe(200);
  });

  it('removing a service that open requests use is refused with the list of them', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, await userIdOf(env, 'kadi.rep1'));
    await rep.push(intake.mutations);
    const { version, profile } = await current();
    const withOther: PolicyProfile = {
      ...profile,
      serviceTypes: [
        ...profile.serviceTypes,
        { id: 'training', label: { ar: 'تدريب', en: 'Training' }, criteria: [], requirements: [] },
      ],
    };
    const added = await put(version, withOther);
    expect(added.status).toBe(200);
    const removed = await put(version + 1, {
      ...withOther,
      serviceTypes: withOther.serviceTypes.filter((s) => s.id !== 'aid'),
    });
    expect([removed.status, removed.code]).toEqual([409, 'open_work_stranded']);
    const details = removed.error.success ? removed.error.data.error.details : null;
    expect(JSON.stringify(details)).toContain(intake.caseId);
    // Removing the unused one is fine.
    expect((await put(version + 1, profile)).status).toBe(200);
  });
});
