// A beneficiary's rights (L-RIGHTS): the export of their whole file with its correction history, and its
// destruction everywhere; the retention job (L-RETAIN). Each test builds its own files.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EXPORT_HTML_CSP } from '../../server/http/export-html';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { destroyResponseSchema, exportDocumentSchema, RIGHTS_PATH } from '../../src/protocol/rights';
import { pullResponseSchema, type PullResponse } from '../../src/protocol/sync';
import { upsert, useKadiTestApp } from './helpers';
import { honestIntake, outcomeOf, stepClient, storedCase, userIdOf } from './steps';

const env = useKadiTestApp();
const { push } = env;
const YEAR = 365.25 * 24 * 60 * 60 * 1000;

async function pull(username: string, cursor = ''): Promise<PullResponse> {
  const response = await env.app.request(`/api/v1/sync/pull?cursor=${cursor}&limit=5000`, {
    headers: { Authorization: `Bearer ${await env.tokenOf(username)}` },
  });
  return pullResponseSchema.parse(await response.json());
}

const person = (fullName: string) => ({
  branchId: env.branch.b1,
  fullName,
  nationalId: '1000000008',
  mobile: '+966501234567',
});

/** Uploads a document's bytes as kadi.rep1. */
async function upload(text: string): Promise<{ sha256: string; size: number }> {
  const bytes = new TextEncoder().encode(text);
  return { sha256: await env.upload('kadi.rep1', bytes), size: bytes.length };
}

const document = (beneficiaryId: string, file: { sha256: string; size: number }) => ({
  sha256: file.sha256,
  kind: 'document',
  mimeType: 'image/jpeg',
  size: file.size,
  beneficiaryId,
  caseId: null,
  requirementId: null,
});

/** A beneficiary with a household member (later deleted), a contact, a document and a corrected mobile. */
async function registerFile(name: string) {
  const ids = {
    beneficiary: randomUUID(),
    member: randomUUID(),
    interaction: randomUUID(),
    attachment: randomUUID(),
  };
  const file = await upload(`identity card of ${name} ${ids.beneficiary}`);
  const clientId = randomUUID();
  expect(
    await push(
      'kadi.rep1',
      [
        upsert(1, 'beneficiary', ids.beneficiary, person(name)),
        upsert(2, 'household_member', ids.member, {
          beneficiaryId: ids.beneficiary,
          name: { first: 'سارة', father: 'أحمد', grandfather: 'علي', family: 'القحطاني' },
          relation: 'daughter',
          birthDate: '2015-03-01',
          collectedViaHead: true,
        }),
        upsert(3, 'interaction', ids.interaction, {
          beneficiaryId: ids.beneficiary,
          channel: 'phone',
          summary: 'اتصل <script>alert(1)</script> يسأل عن طلبه',
          occurredAt: '2026-11-22T09:00:00+03:00',
        }),
        upsert(4, 'attachment', ids.attachment, document(ids.beneficiary, file)),
      ],
      clientId,
    ),
  ).toEqual(['applied', 'applied', 'applied', 'applied']);
  const version = (await pull('kadi.rep1')).changes.find((c) => c.recordId === ids.beneficiary)?.version;
  expect(
    await push(
      'kadi.rep1',
      [
        {
          ...upsert(5, 'beneficiary', ids.beneficiary, { mobile: '+966551234567' }),
          baseVersion: version ?? 0,
        },
        { ...upsert(6, 'household_member', ids.member, {}), op: 'delete', baseVersion: 0 },
      ],
      clientId,
    ),
  ).toEqual(['applied', 'applied']);
  return { ids, file };
}

async function exportOf(username: string, id: string, format = 'json') {
  return env.app.request(`${RIGHTS_PATH}/${id}/export?format=${format}`, {
    headers: { Authorization: `Bearer ${await env.tokenOf(username)}` },
  });
}

async function destroy(username: string, id: string, reason = 'طلب إتلاف مقدم من المستفيد رقم 42') {
  return env.app.request(`${RIGHTS_PATH}/${id}/destroy`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await env.tokenOf(username)}` },
    body: JSON.stringify({ reason }),
  });
}

const errorOf = async (response: Response) =>
  `${response.status} ${apiErrorBodySchema.parse(await response.json()).error.code}`;

describe('export (the right of access)', () => {
  it("gives everything in the beneficiary's file, its correction history and its documents, and nothing else", async () => {
    const { ids, file } = await registerFile('نورة الشهري');
    const other = await registerFile('هند العتيبي');

    const response = await exportOf('kadi.supervisor', ids.beneficiary);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Disposition')).toBe(
      `attachment; filename="beneficiary-${ids.beneficiary}.json"`,
    );
    const doc = exportDocumentSchema.parse(await response.json());
    // The household member was deleted: it is no longer held, but its history is.
    expect(doc.records.map((r) => [r.entity, r.recordId]).sort()).toEqual(
      [
        ['attachment', ids.attachment],
        ['beneficiary', ids.beneficiary],
        ['interaction', ids.interaction],
      ].sort(),
    );
    expect(doc.records.find((r) => r.entity === 'beneficiary')?.data).toMatchObject({
      fullName: 'نورة الشهري',
      mobile: '+966551234567',
    });
    const corrections = doc.history.filter((h) => h.recordId === ids.beneficiary);
    expect(corrections.map((h) => h.op)).toEqual(['create', 'update']);
    expect(corrections[1]?.changes).toEqual({
      mobile: { before: '+966501234567', after: '+966551234567' },
    });
    expect(doc.history.filter((h) => h.recordId === ids.member).map((h) => h.op)).toEqual([
      'create',
      'delete',
    ]);
    expect(doc.files).toEqual([
      {
        sha256: file.sha256,
        mimeType: 'image/jpeg',
        size: file.size,
        base64: Buffer.from(`identity card of نورة الشهري ${ids.beneficiary}`).toString('base64'),
      },
    ]);
    expect(doc.withheld).toEqual([]);
    // Who made each change, by name: every change here was the representative's.
    expect(new Set(doc.history.map((h) => doc.staff[h.by]))).toEqual(new Set(['مندوب']));
    const everyId = JSON.stringify(doc);
    for (const id of Object.values(other.ids)) expect(everyId).not.toContain(id);

    // Registered, and each record given out is in the audit log.
    const register = await env.db.query<{ kind: string; records: number; files: number }>(
      'SELECT kind, records, files FROM rights_requests WHERE beneficiary_id = $1',
      [ids.beneficiary],
    );
    expect(register).toEqual([{ kind: 'export', records: 3, files: 1 }]);
    const audited = await env.db.query<{ record_id: string }>(
      "SELECT record_id FROM audit_log WHERE action = 'export' AND record_id = ANY($1::text[])",
      [Object.values(ids)],
    );
    expect(audited.map((r) => r.record_id).sort()).toEqual(
      [ids.beneficiary, ids.interaction, ids.attachment].sort(),
    );
  });

  it('prints as a self-contained page with its own strict policy, every value escaped', async () => {
    const { ids } = await registerFile('ريم <b>الغامدي</b>');
    const response = await exportOf('kadi.committee', ids.beneficiary, 'html');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(response.headers.get('Content-Security-Policy')).toBe(EXPORT_HTML_CSP);
    const html = await response.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('ريم &lt;b&gt;الغامدي&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('سجل التصحيحات');
    expect(html).toContain('data:image/jpeg;base64,');
  });

  it('is refused to the other roles, and knows no beneficiary of another association', async () => {
    const { ids } = await registerFile('لمى');
    expect(await errorOf(await exportOf('kadi.rep1', ids.beneficiary))).toBe('403 forbidden');
    expect(await errorOf(await exportOf('kadi.admin', ids.beneficiary))).toBe('403 forbidden');
    expect(await errorOf(await exportOf('kadi.supervisor', randomUUID()))).toBe('404 not_found');
    expect(await errorOf(await exportOf('kadi.supervisor', 'not-a-uuid'))).toBe('404 not_found');
    expect(await errorOf(await exportOf('kadi.supervisor', ids.beneficiary, 'pdf'))).toBe(
      '400 invalid_request',
    );
  });
});

describe('destruction on request', () => {
  it('removes the file from the server and from every device, and no late change brings it back', async () => {
    const { ids, file } = await registerFile('أمل الدوسري');
    const kept = await registerFile('منى الحربي');
    const before = await pull('kadi.rep1b');

    const response = await destroy('kadi.supervisor', ids.beneficiary);
    expect(response.status).toBe(200);
    expect(destroyResponseSchema.parse(await response.json())).toEqual({ records: 4, files: 1 });

    // A device that held the file hears of it at its next pull: purged tombstones, no data.
    const after = await pull('kadi.rep1b', before.cursor);
    const fileIds: string[] = Object.values(ids);
    expect(
      after.changes
        .filter((c) => fileIds.includes(c.recordId))
        .map((c) => [c.recordId, c.deleted, c.data, c.purged])
        .sort(),
    ).toEqual(fileIds.map((id) => [id, true, null, true]).sort());
    const keptIds: string[] = Object.values(kept.ids);
    expect(after.changes.some((c) => keptIds.includes(c.recordId))).toBe(false);

    // Nothing of it is left on the server but ids: no data, no history, no file.
    const rows = await env.db.query<{ data: unknown; purged: boolean }>(
      'SELECT data, purged_at IS NOT NULL AS purged FROM records WHERE record_id = ANY($1::uuid[])',
      [fileIds],
    );
    expect(rows).toEqual(fileIds.map(() => ({ data: null, purged: true })));
    const history = await env.db.query('SELECT 1 FROM record_history WHERE record_id = ANY($1::uuid[])', [
      fileIds,
    ]);
    expect(history).toEqual([]);
    const files = await env.db.query('SELECT 1 FROM attachment_files WHERE sha256 = $1', [file.sha256]);
    expect(files).toEqual([]);
    const audited = await env.db.query<{ action: string }>(
      'SELECT DISTINCT action FROM audit_trail WHERE record_id = $1 ORDER BY action',
      [ids.beneficiary],
    );
    expect(audited.map((r) => r.action)).toEqual(['destroy', 'pull', 'write']);
    const register = await env.db.query<{ kind: string; reason: string }>(
      'SELECT kind, reason FROM rights_requests WHERE beneficiary_id = $1',
      [ids.beneficiary],
    );
    expect(register).toEqual([{ kind: 'destroy', reason: 'طلب إتلاف مقدم من المستفيد رقم 42' }]);

    // A device that was offline sends its edits later: refused, and nothing of them is stored.
    expect(
      await push('kadi.rep1', [
        { ...upsert(1, 'beneficiary', ids.beneficiary, { fullName: 'أمل' }), baseVersion: 1 },
        upsert(2, 'interaction', randomUUID(), {
          beneficiaryId: ids.beneficiary,
          channel: 'phone',
          summary: 'زيارة',
          occurredAt: '2026-11-22T10:00:00+03:00',
        }),
        { ...upsert(3, 'interaction', ids.interaction, {}), op: 'delete' },
      ]),
    ).toEqual(['rejected record_destroyed', 'rejected parent_not_found', 'applied']);
    const conflicts = await env.db.query('SELECT 1 FROM sync_conflicts WHERE record_id = $1', [
      ids.beneficiary,
    ]);
    expect(conflicts).toEqual([]);
    const stillEmpty = await env.db.query<{ data: unknown }>(
      'SELECT data FROM records WHERE record_id = $1',
      [ids.beneficiary],
    );
    expect(stillEmpty).toEqual([{ data: null }]);

    // Gone: neither exported nor destroyed again.
    expect(await errorOf(await exportOf('kadi.supervisor', ids.beneficiary))).toBe('404 not_found');
    expect(await errorOf(await destroy('kadi.supervisor', ids.beneficiary))).toBe('404 not_found');
    // The other file is untouched.
    expect((await exportOf('kadi.supervisor', kept.ids.beneficiary)).status).toBe(200);
  });

  it('needs a reason, and a role that handles rights requests', async () => {
    const { ids } = await registerFile('سلمى');
    expect(await errorOf(await destroy('kadi.supervisor', ids.beneficiary, ' '))).toBe('400 invalid_request');
    expect(await errorOf(await destroy('kadi.rep1', ids.beneficiary))).toBe('403 forbidden');
    expect((await pull('kadi.rep1')).changes.find((c) => c.recordId === ids.beneficiary)?.deleted).toBe(
      false,
    );
  });
});

describe('retention (L-RETAIN)', () => {
  it('destroys files idle past their period, keeps those with an open case, and keeps financial records longer', async () => {
    const clock = env.server.clock;
    const idle = { beneficiary: randomUUID(), interaction: randomUUID() };
    const complaint = randomUUID();
    expect(
      await push('kadi.rep1', [
        upsert(1, 'beneficiary', idle.beneficiary, person('خالد')),
        upsert(2, 'interaction', idle.interaction, {
          beneficiaryId: idle.beneficiary,
          channel: 'phone',
          summary: 'استفسار',
          occurredAt: '2026-11-22T09:00:00+03:00',
        }),
        upsert(3, 'complaint', complaint, {
          reference: 'C-1',
          beneficiaryId: null,
          channel: 'phone',
          kind: 'suggestion',
          text: 'اقتراح',
          receivedAt: '2026-11-22T09:00:00+03:00',
          firstResponseAt: null,
          resolution: null,
        }),
      ]),
    ).toEqual(Array(3).fill('applied'));
    // Two requests submitted by their steps; each status is reached by the role whose step it is (the server
    // holds requests to the case machine): one stays submitted (open), the other is rejected and closed.
    const rep = stepClient(env, 'kadi.rep1');
    const committee = stepClient(env, 'kadi.committee');
    const repId = await userIdOf(env, 'kadi.rep1');
    const openIntake = await honestIntake(env, rep, repId, { person: { fullName: 'فهد' } });
    const closedIntake = await honestIntake(env, rep, repId, { person: { fullName: 'سعد' } });
    const submitted = await rep.push(
      [openIntake, closedIntake].flatMap((r) => [...r.mutations, rep.step(r.caseId, { type: 'submit' })]),
    );
    expect(new Set(submitted.map(outcomeOf))).toEqual(new Set(['applied']));
    /** A request's file: its beneficiary, household member, case and the case's attachments. */
    const fileOf = (intake: typeof openIntake) => ({
      beneficiary: intake.beneficiaryId,
      member: intake.memberId,
      case: intake.caseId,
      attachments: intake.mutations.filter((m) => m.entity === 'attachment').map((m) => m.recordId),
    });
    const open = fileOf(openIntake);
    const closed = { ...fileOf(closedIntake), decision: randomUUID() };
    expect(
      (
        await committee.push([
          committee.upsert('decision', closed.decision, {
            caseId: closed.case,
            outcome: 'rejected',
            reason: 'خارج النطاق',
            decidedAt: '2026-11-22T09:00:00+03:00',
            by: await userIdOf(env, 'kadi.committee'),
          }),
          committee.step(closed.case, { type: 'decided', outcome: 'rejected', reason: 'خارج النطاق' }),
        ])
      ).map(outcomeOf),
    ).toEqual(['applied', 'applied']);
    expect((await rep.push([rep.step(closed.case, { type: 'closed' })])).map(outcomeOf)).toEqual(['applied']);
    expect((await storedCase(env, open.case))?.data.status).toBe('submitted');
    expect((await storedCase(env, closed.case))?.data.status).toBe('closed');
    const ours = [idle, open, closed].flatMap((f) => Object.values(f).flat()).concat(complaint);
    const live = async () =>
      (
        await env.db.query<{ record_id: string }>(
          'SELECT record_id FROM records WHERE record_id = ANY($1::uuid[]) AND NOT deleted',
          [ours],
        )
      )
        .map((r) => r.record_id)
        .sort();

    // Within the period: nothing of ours goes.
    clock.advance(4 * YEAR);
    await env.server.rights.purgeExpired();
    expect(await live()).toEqual([...ours].sort());

    // Past 5 years: the idle file, the closed file's personal records (its beneficiary, household member and
    // documents) and the loose complaint go; the open file stays whole; the closed case and its decision stay
    // (financial records, 10 years).
    clock.advance(2 * YEAR);
    const report = await env.server.rights.purgeExpired();
    expect(report.length).toBeGreaterThan(0);
    const openFile = [open.beneficiary, open.member, open.case, ...open.attachments];
    expect(await live()).toEqual([...openFile, closed.case, closed.decision].sort());
    const purged = await env.db.query<{ user_id: string | null; device_id: string | null }>(
      "SELECT DISTINCT user_id, device_id FROM audit_log WHERE action = 'purge' AND record_id = $1",
      [idle.beneficiary],
    );
    expect(purged).toEqual([{ user_id: null, device_id: null }]);
    const register = await env.db.query<{ kind: string }>(
      "SELECT kind FROM rights_requests WHERE kind = 'retention'",
    );
    expect(register.length).toBeGreaterThan(0);

    // Past 10 years: the financial records go too; the open case still holds its file.
    clock.advance(5 * YEAR);
    await env.server.rights.purgeExpired();
    expect(await live()).toEqual([...openFile].sort());
  });
});
