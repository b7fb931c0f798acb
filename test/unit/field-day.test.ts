// The field day's plumbing: a delivery's ballot kept sealed until the kiosk spends it, a write the server
// would refuse refused on the device before anything is saved, the back control's history, and the one
// path by which a failure reaches the screen.
import { describe, expect, it, vi } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository, InvalidRecord } from '../../src/db/records-repository';
import { createCipher, createVault, openWithPasskey, passkeyWrapFor, randomKeys } from '../../src/db/vault';
import { profiles } from '../../src/domain/profiles/associations';
import { entityErrors } from '../../src/protocol/validate';
import { createBallots } from '../../src/state/ballots';
import { dismissError, errorNotices, reportError, reportFailure } from '../../src/state/error-report';
import { createRouterStore } from '../../src/state/router';
import { draftOf, profilePatch } from '../../src/ui/beneficiary-profile';
import { formatRiyals } from '../../src/ui/components/AidFields';
import { formatDay, formatInstant } from '../../src/ui/dates';
import { durationText } from '../../src/ui/duration';
import { catalogueT, fill } from '../../src/ui/i18n/i18n';
import { createPreferencesStore } from '../../src/state/preferences';

const clock = Date.parse('2026-12-06T09:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

async function device(now = () => clock) {
  const db = new WaselDb(`field-day-${crypto.randomUUID()}`);
  const cipher = createCipher(await randomKeys());
  return { db, cipher, now };
}

describe('ballots (C-OBJ-6)', () => {
  it('keeps a delivery’s ballot sealed until it is dropped, and forgets one older than a month', async () => {
    let now = clock;
    const { db, cipher } = await device();
    const ballots = createBallots(db, cipher, () => now);
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await Promise.all([ballots.keep('case-a', a), ballots.keep('case-b', b)]);
    expect(await ballots.waiting()).toEqual({
      'case-a': { ballot: a, at: clock },
      'case-b': { ballot: b, at: clock },
    });
    // Sealed: the ballot's text is nowhere in what IndexedDB holds.
    const row = await db.meta.get('ballots');
    expect(JSON.stringify(row)).not.toContain(a);
    await ballots.drop('case-a');
    expect(Object.keys(await ballots.waiting())).toEqual(['case-b']);
    now = clock + 31 * DAY;
    expect(await ballots.waiting()).toEqual({});
  });
});

describe('one validation on both sides', () => {
  const profile = profiles.kadi;
  const person = {
    branchId: crypto.randomUUID(),
    fullName: 'وعد السبيعي',
    nationalId: '1000000008',
    mobile: '+966501234567',
  };

  it('refuses on the device, before saving or queueing, a record the server would refuse', async () => {
    const { db, cipher, now } = await device();
    const records = createRecordsRepository(db, cipher, {
      newId: () => crypto.randomUUID(),
      now,
      validate: (entity, data) => entityErrors(entity, data, profile),
    });
    const id = crypto.randomUUID();
    await records.save('beneficiary', id, person);
    const refused = records.save('beneficiary', id, { fullName: 'م'.repeat(600) });
    await expect(refused).rejects.toBeInstanceOf(InvalidRecord);
    await expect(refused).rejects.toMatchObject({ errors: [{ path: 'fullName', code: 'too_big' }] });
    // The first save stands alone: the record unchanged, one change queued.
    expect((await records.get('beneficiary', id))?.data?.fullName).toBe(person.fullName);
    expect(await db.outbox.count()).toBe(1);
  });

  it('uses the profile’s rules when the device has the profile, the schema alone before', () => {
    const other = { ...person, category: 'not-a-category' };
    expect(entityErrors('beneficiary', other, profile)).toEqual([
      { path: 'category', code: 'category_not_in_profile' },
    ]);
    expect(entityErrors('beneficiary', other, undefined)).toEqual([]);
    expect(entityErrors('beneficiary', { ...person, fullName: ' ' }, undefined)).toEqual([
      { path: 'fullName', code: 'too_small' },
    ]);
  });
});

describe('the back control', () => {
  function browser() {
    const entries: { path: string; state: unknown }[] = [{ path: '/s/request', state: null }];
    let at = 0;
    const listeners: ((e: { state: unknown }) => void)[] = [];
    const win = {
      location: {
        get pathname() {
          return entries[at]?.path ?? '/';
        },
      },
      history: {
        get state() {
          return entries[at]?.state;
        },
        pushState(state: unknown, _title: string, path: string) {
          entries.splice(at + 1, entries.length, { path, state });
          at += 1;
        },
        replaceState(state: unknown, _title: string, path: string) {
          entries[at] = { path, state };
        },
        back() {
          at -= 1;
          for (const l of listeners) l({ state: entries[at]?.state });
        },
      },
      addEventListener(_type: string, listener: (e: { state: unknown }) => void) {
        listeners.push(listener);
      },
    };
    return { win: win as unknown as Window, entries: () => entries.map((e) => e.path) };
  }

  it('goes back through the screens the user opened, and up to home from a screen opened directly', () => {
    const { win, entries } = browser();
    const router = createRouterStore(win);
    // Opened straight on a section (a reload, a link): back leads home, inside the app.
    router.getState().back();
    expect(router.getState().path).toBe('/');
    expect(entries()).toEqual(['/']);
    router.getState().navigate('/s/beneficiaries');
    router.getState().navigate('/b/1');
    expect(router.getState().depth).toBe(2);
    router.getState().back();
    expect(router.getState()).toMatchObject({ path: '/s/beneficiaries', depth: 1 });
    router.getState().back();
    expect(router.getState()).toMatchObject({ path: '/', depth: 0 });
    // A screen's query (a beneficiary's tab) is kept in the address, not in the path the screens match.
    router.getState().navigate('/b/1?tab=household');
    expect(router.getState()).toMatchObject({ path: '/b/1', depth: 1 });
    expect(entries().at(-1)).toBe('/b/1?tab=household');
  });
});

describe('errors are never silent', () => {
  it('says each failure once, keeps the last three, and lets the user dismiss one', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    errorNotices.setState({ notices: [] });
    reportError(new Error('disk full'), 'save');
    reportError(new Error('disk full'), 'save');
    reportFailure(Promise.reject(new TypeError('offline')), 'fetch');
    await Promise.resolve();
    await Promise.resolve();
    expect(errorNotices.getState().notices.map((n) => n.detail)).toEqual([
      'save — Error: disk full',
      'fetch — TypeError: offline',
    ]);
    // A database closed under the work (the user locked) is no failure to tell them of.
    const closed = new Error('Database has been closed');
    closed.name = 'DatabaseClosedError';
    reportError(closed, 'reindex');
    for (const i of [1, 2, 3]) reportError(`failure ${String(i)}`);
    expect(errorNotices.getState().notices).toHaveLength(3);
    const first = errorNotices.getState().notices[0];
    if (first === undefined) throw new Error('no notice');
    dismissError(first.id);
    expect(errorNotices.getState().notices.map((n) => n.detail)).toEqual(['failure 2', 'failure 3']);
    expect(logged).toHaveBeenCalledTimes(6);
    logged.mockRestore();
  });
});

describe('the passkey wraps the same keys as the password', () => {
  it('opens what the password sealed; a wrong password sets nothing up, another PRF output opens nothing', async () => {
    const { keys, wrapped } = await createVault('the-password', 1000);
    const sealed = await createCipher(keys).seal({ fullName: 'وعد' }, 'record:1');
    const prf = crypto.getRandomValues(new Uint8Array(32));
    expect(await passkeyWrapFor('not-the-password', wrapped, prf)).toBeNull();
    const wraps = await passkeyWrapFor('the-password', wrapped, prf);
    if (wraps === null) throw new Error('the password did not open the keys');
    const passkey = { credentialId: new Uint8Array(16), salt: new Uint8Array(32), ...wraps };
    const opened = await openWithPasskey(prf, passkey);
    if (opened === null) throw new Error('the passkey did not open the keys');
    expect(await createCipher(opened).open(sealed, 'record:1')).toEqual({ fullName: 'وعد' });
    // The keys it opens are as locked down as the password's: never extractable.
    expect(opened.data.extractable).toBe(false);
    expect(await openWithPasskey(crypto.getRandomValues(new Uint8Array(32)), passkey)).toBeNull();
  });
});

describe('telling the beneficiary from the phone (K-PROC-e)', () => {
  it('opens WhatsApp, the SMS app or the dialler with the number and the words, encoded', async () => {
    const { sendLink } = await import('../../src/ui/components/SendLinks');
    const text = 'قُبل طلبكم رقم 20261206-AB12 & شكراً';
    expect(sendLink('whatsapp', '+966551234567', text)).toBe(
      `https://wa.me/966551234567?text=${encodeURIComponent(text)}`,
    );
    expect(sendLink('sms', '+966551234567', text)).toBe(`sms:+966551234567?body=${encodeURIComponent(text)}`);
    expect(sendLink('call', '+966551234567', text)).toBe('tel:+966551234567');
    expect(decodeURIComponent(sendLink('whatsapp', '+966551234567', text).split('text=')[1] ?? '')).toBe(
      text,
    );
  });
});

describe("the beneficiary's one form", () => {
  const stored = {
    fullName: 'وعد سعد محمد السبيعي',
    name: { first: 'وعد', father: 'سعد', grandfather: 'محمد', family: 'السبيعي' },
    nationalId: '1000000008',
    mobile: '+966501234567',
    monthlyIncome: 3500,
  };
  const context = { noticeVersion: '2', userId: crypto.randomUUID(), now: () => clock };

  it('saves nothing when nothing changed, and only what changed otherwise', () => {
    expect(profilePatch(stored, draftOf(stored), context)).toEqual({ ok: true, patch: {} });
    const draft = draftOf(stored);
    draft.details.category = 'widow';
    expect(profilePatch(stored, draft, context)).toEqual({ ok: true, patch: { category: 'widow' } });
  });

  it('a corrected part of the name corrects the full name too', () => {
    const draft = draftOf(stored);
    if (draft.name === null) throw new Error('four parts');
    draft.name.family = ' العتيبي ';
    expect(profilePatch(stored, draft, context)).toEqual({
      ok: true,
      patch: {
        name: { ...stored.name, family: 'العتيبي' },
        fullName: 'وعد سعد محمد العتيبي',
      },
    });
  });

  it('names every wrong field at once: an empty or too long part, the mobile, the income, the address', () => {
    const draft = draftOf(stored);
    if (draft.name === null) throw new Error('four parts');
    draft.name.father = '';
    draft.name.family = 'ع'.repeat(61);
    draft.mobile = '0512';
    draft.details.monthlyIncome = '-5';
    draft.address.city = 'الرياض';
    const result = profilePatch(stored, draft, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject({
      'name.father': 'required',
      'name.family': 'tooLong',
      mobile: 'phone',
      monthlyIncome: 'income',
      'address.buildingNumber': 'address_building_number',
      'address.postalCode': 'address_postal_code',
    });
    expect(result.errors['address.city']).toBeUndefined();
  });

  it('records consent with the notice version, the time and who recorded it (L-CONSENT)', () => {
    const draft = { ...draftOf(stored), consent: true };
    expect(profilePatch(stored, draft, context)).toEqual({
      ok: true,
      patch: {
        consent: {
          noticeVersion: '2',
          givenAt: new Date(clock).toISOString(),
          recordedBy: context.userId,
          viaHeadOfHousehold: true,
        },
      },
    });
  });

  it('a full name corrected by itself is edited whole, and its four parts follow it', () => {
    // Corrected before names had parts: the parts no longer spell the full name.
    const drifted = { ...stored, fullName: 'وعد سعد محمد العتيبي' };
    const draft = draftOf(drifted);
    expect(draft.name).toBeNull();
    // Saving something else leaves the name alone.
    expect(profilePatch(drifted, { ...draft, email: 'waad@example.com' }, context)).toEqual({
      ok: true,
      patch: { email: 'waad@example.com' },
    });
    expect(profilePatch(drifted, { ...draft, fullName: 'وعد سعد محمد القحطاني' }, context)).toEqual({
      ok: true,
      patch: {
        fullName: 'وعد سعد محمد القحطاني',
        name: { first: 'وعد', father: 'سعد', grandfather: 'محمد', family: 'القحطاني' },
      },
    });
  });

  it('an e-mail blanked is removed', () => {
    const withEmail = { ...stored, email: 'waad@example.com' };
    expect(profilePatch(withEmail, { ...draftOf(withEmail), email: ' ' }, context)).toEqual({
      ok: true,
      patch: { email: null },
    });
  });

  it('a person registered with one full name keeps one field for it', () => {
    const single = { fullName: 'وعد السبيعي', nationalId: '1000000008', mobile: '+966501234567' };
    const draft = draftOf(single);
    expect(draft.name).toBeNull();
    draft.fullName = '';
    expect(profilePatch(single, draft, context)).toEqual({ ok: false, errors: { fullName: 'required' } });
  });
});

describe('one way to write dates, times and numbers', () => {
  const ar = { lang: 'ar', digits: 'latn' } as const;
  it('writes an instant in Riyadh’s date and time, whatever the device’s zone', () => {
    // 22:30 UTC is 01:30 the next day in Riyadh (UTC+3, no daylight saving).
    expect(formatInstant('2026-12-06T22:30:00Z', { lang: 'en', digits: 'latn' })).toBe(
      '7 December 2026 at 01:30',
    );
    expect(formatInstant('2026-12-06T22:30:00Z', ar)).toContain('7 ديسمبر 2026');
    expect(formatInstant('2026-12-06T22:30:00Z', { lang: 'ar', digits: 'arab' })).toContain('٧ ديسمبر ٢٠٢٦');
  });

  it('writes a date in words, with its Umm al-Qura date where days are counted', () => {
    expect(formatDay('2025-03-30', ar)).toBe('30 مارس 2025');
    expect(formatDay('2025-03-30', ar, true)).toBe('30 مارس 2025 · 1 شوال 1446 هـ');
    expect(formatDay('2025-03-30', { lang: 'ar', digits: 'arab' }, true)).toBe(
      '٣٠ مارس ٢٠٢٥ · ١ شوال ١٤٤٦ هـ',
    );
    // A bare date given where an instant is expected reads as the date; nonsense reads as nothing.
    expect(formatInstant('2025-03-30', ar)).toBe('30 مارس 2025');
    expect(formatDay('30/03/2025', ar)).toBe('');
    expect(formatDay('2024-02-30', ar)).toBe('');
    expect(formatInstant('', ar)).toBe('');
  });

  it('writes counts in the chosen digits, and leaves text (an ID) as it is', () => {
    expect(fill('{count} دقائق — {id}', { count: 5, id: '1000000008' }, 'arab')).toBe('٥ دقائق — 1000000008');
    expect(catalogueT({ left: 'بقي {days} أيام' }, 'arab')('left', { days: 12 })).toBe('بقي ١٢ أيام');
    expect(fill('{count}', { count: 5 })).toBe('5');
  });

  it('writes amounts and durations in the chosen digits too; English in Western digits', () => {
    const arab = { lang: 'ar', digits: 'arab' } as const;
    expect(formatRiyals(1500, arab)).toMatch(/١٬?٥٠٠/);
    expect(formatRiyals(1500, ar)).toMatch(/1,?500/);
    expect(formatRiyals(1500, { lang: 'en', digits: 'arab' })).toMatch(/1,500/);
    expect(durationText(5 * 3_600_000, arab)).toMatch(/^٥ /);
    expect(durationText(5 * 3_600_000, ar)).toMatch(/^5 /);
    expect(durationText(3 * 86_400_000, { lang: 'en', digits: 'arab' })).toBe('3 days');
  });

  it('keeps the digits chosen on this device', () => {
    const storage = new Map<string, string>();
    const backing = {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => {
        storage.set(key, value);
      },
    };
    const first = createPreferencesStore(backing);
    expect(first.getState().digits).toBe('latn');
    first.getState().setDigits('arab');
    expect(createPreferencesStore(backing).getState().digits).toBe('arab');
  });
});
