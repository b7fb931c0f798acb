// The public complaint channel (K-CMPL-a..c) and the compensation that may follow (K-COMP-a..c): a
// complaint sent without an account reaches the follow-up unit by the usual pull, and nobody else; the
// complainant follows it by reference; the open door is limited per address.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PUBLIC_COMPLAINTS_PATH,
  PUBLIC_COMPLAINTS_PER_WINDOW,
  publicComplaintReceiptSchema,
  publicComplaintStatusSchema,
} from '../../src/protocol/complaints';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { pullResponseSchema } from '../../src/protocol/sync';
import { bearer, jsonRequest, upsert, useKadiTestApp } from './helpers';
import { userIdOf } from './steps';

const env = useKadiTestApp();
const { push, versionOf } = env;

const complaint = {
  association: 'kadi',
  kind: 'complaint',
  text: 'تأخر الرد على طلبي أكثر من شهر',
  name: 'سارة',
  mobile: '+966501234567',
  consent: true,
};

async function send(body: unknown) {
  return env.app.request(PUBLIC_COMPLAINTS_PATH, jsonRequest(body));
}

async function statusOf(reference: string) {
  const response = await env.app.request(`${PUBLIC_COMPLAINTS_PATH}/kadi/${reference}`);
  expect(response.status).toBe(200);
  return publicComplaintStatusSchema.parse(await response.json());
}

async function pulled(username: string) {
  const response = await env.app.request('/api/v1/sync/pull?limit=1000', bearer(await env.tokenOf(username)));
  expect(response.status).toBe(200);
  return pullResponseSchema.parse(await response.json()).changes;
}

describe('the public complaint API (K-CMPL-a)', () => {
  it('K-CMPL-a takes a complaint without login and routes it to the follow-up unit only', async () => {
    const response = await send(complaint);
    expect(response.status).toBe(201);
    const receipt = publicComplaintReceiptSchema.parse(await response.json());
    expect(receipt.reference).toMatch(/^KADI-[2-9A-HJ-NP-Z]{10}$/);

    const bySupervisor = (await pulled('kadi.supervisor')).find(
      (c) => c.entity === 'complaint' && c.data?.reference === receipt.reference,
    );
    expect(bySupervisor?.data).toMatchObject({
      channel: 'public_form',
      kind: 'complaint',
      text: complaint.text,
      complainant: { name: 'سارة', mobile: '+966501234567' },
      firstResponseAt: null,
      resolution: null,
    });
    // Need to know: the committee reads complaints (escalations reach it); representatives and the
    // administrator do not.
    const seenBy = async (u: string) =>
      (await pulled(u)).some((c) => c.entity === 'complaint' && c.recordId === bySupervisor?.recordId);
    expect(await seenBy('kadi.committee')).toBe(true);
    expect(await seenBy('kadi.rep1')).toBe(false);
    expect(await seenBy('kadi.admin')).toBe(false);
    // Written by nobody, from no device: on the audit log as such.
    const audit = await env.db.query<{ user_id: string | null; action: string }>(
      'SELECT user_id, action FROM audit_log WHERE record_id = $1',
      [bySupervisor?.recordId],
    );
    expect(audit).toContainEqual({ user_id: null, action: 'write' });
  });

  it('K-CMPL-a K-CMPL-c the complainant follows it: received, answered, settled amicably', async () => {
    const receipt = publicComplaintReceiptSchema.parse(await (await send(complaint)).json());
    expect(await statusOf(receipt.reference)).toMatchObject({ state: 'received', answeredAt: null });
    const id = (await pulled('kadi.supervisor')).find(
      (c) => c.data?.reference === receipt.reference,
    )?.recordId;
    if (id === undefined) throw new Error('the follow-up unit did not receive the complaint');

    const at = '2026-11-23T10:00:00+03:00';
    // The follow-up unit answers in its own name (a stamp in another's is refused).
    const who = await userIdOf(env, 'kadi.supervisor');
    expect(
      await push('kadi.supervisor', [
        upsert(
          1,
          'complaint',
          id,
          { firstResponseAt: at, handling: [{ at, by: who, note: 'اتصلنا بها وشرحنا الإجراء' }] },
          await versionOf(id),
        ),
      ]),
    ).toEqual(['applied']);
    expect(await statusOf(receipt.reference)).toMatchObject({ state: 'answered', answeredAt: at });
    expect(
      await push('kadi.supervisor', [
        upsert(
          1,
          'complaint',
          id,
          { resolution: { at, by: who, outcome: 'amicable', summary: 'عولج الطلب' } },
          await versionOf(id),
        ),
      ]),
    ).toEqual(['applied']);
    const status = await statusOf(receipt.reference);
    expect(status).toMatchObject({ state: 'resolved', resolvedAt: at });
    // Only dates and a state go back: never what was written.
    expect(JSON.stringify(status)).not.toContain('تأخر');
  });

  it('K-CMPL-b K-CMPL-c K-COMP-a K-COMP-b K-COMP-c an escalated complaint opens a compensation case for the committee', async () => {
    const receipt = publicComplaintReceiptSchema.parse(
      await (
        await send({ ...complaint, kind: 'support', text: 'لا أستطيع الوصول إلى الجمعية بالهاتف' })
      ).json(),
    );
    const id = (await pulled('kadi.supervisor')).find(
      (c) => c.data?.reference === receipt.reference,
    )?.recordId;
    if (id === undefined) throw new Error('the follow-up unit did not receive the complaint');
    const compensationId = randomUUID();
    const at = '2026-11-24T10:00:00+03:00';
    expect(
      await push('kadi.supervisor', [
        upsert(
          1,
          'complaint',
          id,
          {
            firstResponseAt: at,
            resolution: {
              at,
              by: await userIdOf(env, 'kadi.supervisor'),
              outcome: 'escalated',
              summary: 'رُفعت للجنة التحقيق',
            },
            compensationId,
          },
          await versionOf(id),
        ),
        upsert(2, 'compensation', compensationId, {
          complaintId: id,
          minutes: {
            date: '2026-11-24',
            harm: 'تأخر صرف المساعدة',
            size: 'شهران',
            causes: 'خطأ في الإحالة',
            approvals: [{ memberName: 'رئيس اللجنة', approvedAt: at }],
          },
          rulingReference: '',
          negotiation: [{ at, note: 'اتفق على صرف المستحق مع الاعتذار' }],
          settlement: { at, terms: 'صرف المستحق' },
        }),
      ]),
    ).toEqual(['applied', 'applied']);
    expect((await statusOf(receipt.reference)).state).toBe('escalated');
    expect((await pulled('kadi.committee')).some((c) => c.recordId === compensationId)).toBe(true);
    expect((await pulled('kadi.rep1')).some((c) => c.recordId === compensationId)).toBe(false);
    // A representative does not open compensation cases.
    expect(
      await push('kadi.rep1', [
        upsert(1, 'compensation', randomUUID(), {
          complaintId: id,
          minutes: { date: '2026-11-24', harm: 'x', size: 'x', causes: 'x', approvals: [] },
          negotiation: [],
          settlement: null,
        }),
      ]),
    ).toEqual(['rejected forbidden']);
  });

  it('refuses bad input with field errors, an unknown association and an unknown reference', async () => {
    const bad = await send({ ...complaint, text: 'قصير', mobile: '0501234567', consent: false });
    expect(bad.status).toBe(400);
    const body = apiErrorBodySchema.parse(await bad.json());
    expect(body.error.code).toBe('invalid_request');
    expect(JSON.stringify(body.error.details)).toMatch(/text.*mobile.*consent/);
    expect((await send({ ...complaint, association: 'nobody' })).status).toBe(404);
    // An open door takes small bodies only: 100 KB is refused before it is read.
    const huge = await send({ ...complaint, text: 'ش'.repeat(50_000) });
    expect(huge.status).toBe(413);
    expect(apiErrorBodySchema.parse(await huge.json()).error.code).toBe('payload_too_large');
    expect((await env.app.request(`${PUBLIC_COMPLAINTS_PATH}/kadi/KADI-2222222222`)).status).toBe(404);
    // Another association's reference is not found from this one.
    const receipt = publicComplaintReceiptSchema.parse(await (await send(complaint)).json());
    expect((await env.app.request(`${PUBLIC_COMPLAINTS_PATH}/bakkah/${receipt.reference}`)).status).toBe(404);
  });
});

describe('the public complaint page (K-CMPL-a)', () => {
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  it('K-CMPL-a serves an Arabic form without login or script, and answers with the reference', async () => {
    const page = await env.app.request('/complaints/kadi');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('جمعية كادي');
    expect(html).not.toContain('<script');

    // Arabic-Indic digits, as a phone's keyboard types them, are read as the mobile number.
    const sent = await env.app.request(
      '/complaints/kadi',
      form({ kind: 'suggestion', text: 'اقتراح: مواعيد زيارة مسائية', mobile: '٠٥٠١٢٣٤٥٦٧', consent: 'yes' }),
    );
    expect(sent.status).toBe(201);
    const reference = /KADI-[2-9A-HJ-NP-Z]{10}/.exec(await sent.text())?.[0];
    if (reference === undefined) throw new Error('no reference on the receipt page');
    expect((await statusOf(reference)).state).toBe('received');
    const status = await env.app.request(`/complaints/kadi/status?reference=${reference.toLowerCase()}`);
    expect(status.status).toBe(200);
    expect(await status.text()).toContain('لدى الوحدة المعنية بالمتابعة');
  });

  it('reads in one language at a time, with a link to the other that the next pages keep', async () => {
    const arabic = await (await env.app.request('/complaints/kadi')).text();
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).not.toContain('Your message');
    expect(arabic).toContain('href="/complaints/kadi?lang=en" lang="en"');
    const english = await (await env.app.request('/complaints/kadi?lang=en')).text();
    expect(english).toContain('<html lang="en" dir="ltr">');
    expect(english).toContain('Kadi Association');
    // No Arabic on the English page but the link back to Arabic.
    expect(english.replace('العربية', '')).not.toMatch(/[\u0600-\u06FF]/);
    expect(english).toContain('action="/complaints/kadi?lang=en"');
    // Sent in English, the receipt and its link to the status stay in English.
    const sent = await env.app.request(
      '/complaints/kadi?lang=en',
      form({ kind: 'inquiry', text: 'When are the evening visits?', consent: 'yes' }),
    );
    expect(sent.status).toBe(201);
    const receipt = await sent.text();
    expect(receipt).toContain('Your message was received');
    expect(receipt).toMatch(/status\?reference=KADI-[2-9A-HJ-NP-Z]{10}&amp;lang=en/);
  });

  it('gives a refused form back with what was typed and the fields at fault marked', async () => {
    const text = 'نص <b>قصير</b>';
    const refused = await env.app.request(
      '/complaints/kadi',
      form({ kind: 'complaint', text: 'قصير', name: text }),
    );
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('نص &lt;b&gt;قصير&lt;/b&gt;'); // kept, and escaped
    expect(html).toContain('<textarea id="text" name="text" maxlength="4000" required aria-invalid="true"');
    expect(html).toContain('id="consent-error"');
    expect((await env.app.request('/complaints/nobody')).status).toBe(404);
  });
});

describe('the open door is limited per address (K-CMPL-a)', () => {
  let server: ReturnType<typeof serve> | undefined;
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: env.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(() => {
    server?.close();
  });

  it('K-CMPL-a survives 100 rapid submissions from one address, refusing the excess with 429', async () => {
    const before = await env.db.query<{ n: string | number }>(
      "SELECT count(*) AS n FROM records WHERE entity = 'complaint'",
    );
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${base}${PUBLIC_COMPLAINTS_PATH}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ...complaint, text: `رسالة رقم ${i} من عنوان واحد` }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(PUBLIC_COMPLAINTS_PER_WINDOW);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - PUBLIC_COMPLAINTS_PER_WINDOW);
    const refused = responses.find((r) => r.status === 429);
    expect(Number(refused?.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(apiErrorBodySchema.parse(await refused?.json()).error.code).toBe('too_many_attempts');
    for (const r of responses) if (r !== refused) await r.body?.cancel();

    // Exactly the accepted ones were stored, and the server still answers.
    const after = await env.db.query<{ n: string | number }>(
      "SELECT count(*) AS n FROM records WHERE entity = 'complaint'",
    );
    expect(Number(after[0]?.n) - Number(before[0]?.n)).toBe(PUBLIC_COMPLAINTS_PER_WINDOW);
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
    // The form shares the count: it is refused too, with a page a person can read.
    const page = await fetch(`${base}/complaints/kadi`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ kind: 'complaint', text: 'رسالة أخرى من العنوان نفسه', consent: 'yes' }),
    });
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('حاول بعد قليل');
  });
});
