// K-INFO-c: a change that affects beneficiaries is told to those it affects, each through their agreed
// channel, and recorded as a notification (src/state/change-notice.ts).
import { describe, expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';
import { newCase } from '../../src/domain/case-machine';
import { noticeChange } from '../../src/state/change-notice';

const now = Date.parse('2026-11-22T09:00:00Z');
const deps = (role: 'supervisor' | 'representative') => ({
  actor: { id: crypto.randomUUID(), role },
  now: () => now,
  newId: () => crypto.randomUUID(),
});

async function setup() {
  const records = createRecordsRepository(
    new WaselDb(`notice-${crypto.randomUUID()}`),
    createCipher(await randomKeys()),
    { newId: () => crypto.randomUUID(), now: () => now },
  );
  const person = async (name: string, category: string, preferredChannel?: string) => {
    const id = crypto.randomUUID();
    await records.save('beneficiary', id, {
      fullName: name,
      category,
      ...(preferredChannel === undefined ? {} : { preferredChannel }),
    });
    return id;
  };
  const request = async (beneficiaryId: string, serviceTypeId: string, status: string) => {
    const id = crypto.randomUUID();
    await records.save('case', id, { ...newCase(), beneficiaryId, number: 'R', serviceTypeId, status });
    return id;
  };
  return { records, person, request };
}

describe('changed information told to those it affects (K-INFO-c)', () => {
  it('K-INFO-c a service’s change reaches each beneficiary with an open request of it, once, by their channel', async () => {
    const { records, person, request } = await setup();
    const waiting = await person('نورة', 'family', 'whatsapp');
    const twice = await person('سعاد', 'family');
    const done = await person('هيا', 'family', 'phone');
    const waitingCase = await request(waiting, 'aid', 'awaitingDecision');
    await request(twice, 'aid', 'submitted');
    await request(twice, 'aid', 'accepted');
    await request(done, 'aid', 'closed');
    await request(done, 'rent', 'submitted');

    const result = await noticeChange(
      records,
      {
        target: { kind: 'service', serviceTypeId: 'aid' },
        text: ' أُضيف صك الإعالة إلى المتطلبات ',
        fallbackChannel: 'phone',
      },
      deps('supervisor'),
    );
    expect(result).toEqual({ ok: true, notified: 2 });
    const sent = (await records.list('notification')).map((r) => r.data);
    expect(sent).toHaveLength(2);
    expect(sent).toContainEqual(
      expect.objectContaining({
        beneficiaryId: waiting,
        caseId: waitingCase,
        channel: 'whatsapp',
        text: 'أُضيف صك الإعالة إلى المتطلبات',
        sentAt: '2026-11-22T09:00:00.000Z',
      }),
    );
    // No channel agreed: the association's first channel.
    expect(sent).toContainEqual(expect.objectContaining({ beneficiaryId: twice, channel: 'phone' }));
  });

  it('K-INFO-c by category; refused without text, with nobody affected, or from a role that does not follow up', async () => {
    const { records, person } = await setup();
    await person('منى', 'elderly', 'sms');
    const target = { kind: 'category', category: 'elderly' } as const;
    expect(
      await noticeChange(
        records,
        { target, text: 'موعد جديد', fallbackChannel: 'phone' },
        deps('representative'),
      ),
    ).toEqual({
      ok: false,
      code: 'forbidden',
    });
    expect(
      await noticeChange(records, { target, text: '  ', fallbackChannel: 'phone' }, deps('supervisor')),
    ).toEqual({
      ok: false,
      code: 'text_required',
    });
    expect(
      await noticeChange(
        records,
        { target: { kind: 'category', category: 'orphan' }, text: 'x', fallbackChannel: 'phone' },
        deps('supervisor'),
      ),
    ).toEqual({ ok: false, code: 'nobody' });
    expect(
      await noticeChange(
        records,
        { target, text: 'موعد جديد', fallbackChannel: 'phone' },
        deps('supervisor'),
      ),
    ).toEqual({
      ok: true,
      notified: 1,
    });
    expect((await records.list('notification')).map((r) => r.data?.channel)).toEqual(['sms']);
  });
});
