// C-PROC-3 over HTTP, as a modified client would try it: a request is referred to a social researcher by
// name, and the server decides who may be named — an active researcher of the beneficiary's branch, never
// a representative, another branch's researcher or a disabled one, whatever the device says. The researchers a device may offer are read from the server. Runs on PGlite (npm test)
// and PostgreSQL (npm run test:pg), over the HTTP API in-process.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdminService } from '../../server/services/admin-service';
import { DIRECTORY_PATH, directoryResponseSchema } from '../../src/protocol/directory';
import { bearer, fastHash, useKadiTestApp } from './helpers';
import { honestIntake, outcomeOf, stepClient, storedCase, userIdOf } from './steps';

const env = useKadiTestApp();
const ids: Record<string, string> = {};
const id = (name: string) => ids[name] ?? '';

beforeAll(async () => {
  const admin = createAdminService(env.db, fastHash);
  const base = { associationCode: 'kadi', password: 'correct-horse' };
  await admin.createUser({
    ...base,
    username: 'kadi.researcher.b1',
    displayName: 'نورة الباحثة',
    branchCode: 'b1',
    role: 'researcher',
  });
  await admin.createUser({
    ...base,
    username: 'kadi.researcher.b2',
    displayName: 'باحثة الفرع الثاني',
    branchCode: 'b2',
    role: 'researcher',
  });
  await admin.createUser({
    ...base,
    username: 'kadi.researcher.off',
    displayName: 'باحث موقوف',
    branchCode: 'b1',
    role: 'researcher',
  });
  for (const name of [
    'kadi.rep1',
    'kadi.rep1b',
    'kadi.researcher',
    'kadi.researcher.b1',
    'kadi.researcher.b2',
    'kadi.researcher.off',
  ])
    ids[name] = await userIdOf(env, name);
  await env.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [id('kadi.researcher.off')]);
});

async function researchersFor(username: string) {
  const response = await env.app.request(DIRECTORY_PATH, bearer(await env.tokenOf(username)));
  expect(response.status).toBe(200);
  return directoryResponseSchema.parse(await response.json()).researchers;
}

describe('C-PROC-3 the researchers a request may be referred to', () => {
  it('a representative reads the active researchers of their branch, by name', async () => {
    const list = await researchersFor('kadi.rep1');
    expect(list.map((r) => r.id).sort()).toEqual([id('kadi.researcher'), id('kadi.researcher.b1')].sort());
    expect(list.find((r) => r.id === id('kadi.researcher.b1'))).toEqual({
      id: id('kadi.researcher.b1'),
      name: 'نورة الباحثة',
      branchId: env.branch.b1,
    });
  });

  it('the supervisor, who serves every branch, reads every active researcher', async () => {
    const list = await researchersFor('kadi.supervisor');
    expect(list.map((r) => r.id).sort()).toEqual(
      [id('kadi.researcher'), id('kadi.researcher.b1'), id('kadi.researcher.b2')].sort(),
    );
  });
});

describe('C-PROC-3 a referral by name, judged by the server', () => {
  /** A draft of kadi.rep1's in branch b1, ready for the referral step. */
  async function draft() {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    const opened = await rep.push(intake.mutations);
    expect(new Set(opened.map(outcomeOf))).toEqual(new Set(['applied']));
    return { rep, caseId: intake.caseId };
  }

  it('to a researcher of the branch: kept with the name’s id', async () => {
    const to = id('kadi.researcher');
    const { rep, caseId } = await draft();
    const [result] = await rep.push([
      rep.step(caseId, { type: 'referred', reason: 'الإجراءات غير واضحة', to }),
    ]);
    expect(result === undefined ? undefined : outcomeOf(result)).toBe('applied');
    expect((await storedCase(env, caseId))?.data.referral).toMatchObject({
      to,
      reason: 'الإجراءات غير واضحة',
      by: id('kadi.rep1'),
    });
  });

  it('to a representative, another branch’s researcher, a disabled one or an unknown id: refused, nothing kept', async () => {
    for (const to of [
      id('kadi.rep1b'),
      id('kadi.researcher.b2'),
      id('kadi.researcher.off'),
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const { rep, caseId } = await draft();
      const before = await storedCase(env, caseId);
      const [result] = await rep.push([rep.step(caseId, { type: 'referred', reason: 'سبب', to })]);
      expect(result === undefined ? undefined : outcomeOf(result), to).toBe('case_unknown_researcher');
      expect(await storedCase(env, caseId)).toEqual(before);
    }
  });

  it('without a name (a device that has no list yet): to the branch’s researchers, as before', async () => {
    const { rep, caseId } = await draft();
    const [result] = await rep.push([rep.step(caseId, { type: 'referred', reason: 'سبب' })]);
    expect(result === undefined ? undefined : outcomeOf(result)).toBe('applied');
    const referral = (await storedCase(env, caseId))?.data.referral as Record<string, unknown> | undefined;
    expect(referral?.reason).toBe('سبب');
    expect(referral?.to).toBeUndefined();
  });
});
