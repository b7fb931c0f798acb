import { describe, expect, it } from 'vitest';
import { ar as firstScreen } from '../../src/ui/i18n/ar';
import { arWorkspace } from '../../src/ui/i18n/ar-workspace';
import { en } from '../../src/ui/i18n/en';
import { directionOf, loadCatalogue, translator } from '../../src/ui/i18n/i18n';

const ar = { ...firstScreen, ...arWorkspace };
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('Arabic and English have the same keys, none empty, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ar).sort());
    for (const key of Object.keys(ar) as (keyof typeof ar)[]) {
      expect(ar[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(ar[key]));
    }
  });

  it('Arabic texts are in Arabic script', () => {
    for (const [key, text] of Object.entries(ar)) {
      if (key === 'lang.switch') continue;
      expect(text, key).toMatch(/[\u0600-\u06FF]/);
    }
  });

  it('the two Arabic parts do not overlap', () => {
    const both = Object.keys(firstScreen).filter((k) => k in arWorkspace);
    expect(both).toEqual([]);
  });

  it('fills placeholders and picks the direction; English once its catalogue has loaded', async () => {
    expect(translator('ar')('home.greeting', { name: 'سارة' })).toBe('مرحبًا، سارة');
    await loadCatalogue('en');
    expect(translator('en')('login.error.tooManyAttempts', { minutes: 14 })).toBe(
      'Too many failed attempts. Try again in 14 min.',
    );
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
  });
});

describe('counts (Intl.PluralRules)', () => {
  it('Arabic says one, two, a few, many and more in their own forms; English one and more', async () => {
    const { loadWorkspaceMessages } = await import('../../src/ui/i18n/i18n');
    await loadWorkspaceMessages();
    const t = translator('ar');
    expect([1, 2, 5, 11, 100].map((count) => t('lock.minutes', { count }))).toEqual([
      'دقيقة واحدة',
      'دقيقتان',
      '5 دقائق',
      '11 دقيقة',
      '100 دقيقة',
    ]);
    expect(t('sync.files', { count: 3 })).toBe('3 ملفات بانتظار الإرسال');
    expect(t('sync.files', { count: 12 })).toBe('12 ملفًا بانتظار الإرسال');
    await loadCatalogue('en');
    const e = translator('en');
    expect([1, 4].map((count) => e('sync.files', { count }))).toEqual([
      '1 file waiting to be sent',
      '4 files waiting to be sent',
    ]);
    // A message without plural forms reads as it is.
    expect(t('sync.pending', { count: 1 })).toBe('1 بانتظار المزامنة');
  });
});
