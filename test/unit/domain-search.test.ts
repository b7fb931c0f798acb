// Arabic search folding and duplicate detection.
import { describe, expect, it } from 'vitest';
import { foldArabic, matchesQuery, nameTokens, searchTokens } from '../../src/domain/arabic-search';
import { findDuplicates } from '../../src/domain/duplicates';

describe('Arabic folding', () => {
  it('folds alef forms, taa marbuta, alef maqsura, and strips tashkeel and tatweel', () => {
    expect(foldArabic('أحمد')).toBe('احمد');
    expect(foldArabic('إبراهيم')).toBe('ابراهيم');
    expect(foldArabic('آمنة')).toBe('امنه');
    expect(foldArabic('ٱلله')).toBe('الله');
    expect(foldArabic('مُحَمَّدٌ')).toBe('محمد');
    expect(foldArabic('مـــحـمـد')).toBe('محمد');
    expect(foldArabic('مصطفى')).toBe('مصطفي');
    expect(foldArabic('فاطمة')).toBe(foldArabic('فاطمه'));
  });

  it('normalises digits, lower-cases Latin and collapses spaces', () => {
    expect(foldArabic('  ID ١٢٣   Abc ')).toBe('id 123 abc');
  });

  it('treats "عبد الله" and "عبدالله" alike', () => {
    expect(nameTokens('عبد الله')).toEqual(['عبد', 'الله', 'عبدالله']);
    expect(matchesQuery(searchTokens({ names: ['عبد الله سعد'] }), 'عبدالله')).toBe(true);
  });
});

describe('search tokens and prefix matching', () => {
  const tokens = searchTokens({
    names: ['فاطمة', 'أحمد', 'علي', 'الزهراني'],
    nationalId: '1000000008',
    mobile: '+966501234567',
  });

  it('index every name word, the ID, and the mobile number in both forms', () => {
    expect(tokens).toEqual(
      expect.arrayContaining([
        'فاطمه',
        'احمد',
        'علي',
        'الزهراني',
        '1000000008',
        '966501234567',
        '0501234567',
      ]),
    );
  });

  it('match what a user types, as a prefix, in any spelling or digits', () => {
    expect(matchesQuery(tokens, 'فاطمة')).toBe(true);
    expect(matchesQuery(tokens, 'فاط')).toBe(true);
    expect(matchesQuery(tokens, 'أحمد الزهر')).toBe(true);
    expect(matchesQuery(tokens, '١٠٠٠٠')).toBe(true);
    expect(matchesQuery(tokens, '05012')).toBe(true);
    expect(matchesQuery(tokens, '+96650123')).toBe(true);
    expect(matchesQuery(tokens, 'خالد')).toBe(false);
    expect(matchesQuery(tokens, 'فاطمة خالد')).toBe(false);
  });
});

describe('duplicate beneficiaries', () => {
  const existing = [
    {
      id: 'a',
      fullName: 'فاطمة أحمد علي الزهراني',
      nationalId: '1000000008',
      birthDate: '1980-05-01',
      mobile: '+966501234567',
    },
    {
      id: 'b',
      fullName: 'سارة محمد سعد القحطاني',
      nationalId: '2000000006',
      birthDate: '1990-01-01',
      mobile: '+966551234567',
    },
  ];

  it('the same national ID (as typed in Arabic-Indic digits) is a duplicate', () => {
    expect(findDuplicates({ id: 'new', fullName: 'اسم آخر', nationalId: '١٠٠٠٠٠٠٠٠٨' }, existing)).toEqual([
      { id: 'a', level: 'duplicate', reasons: ['national_id'] },
    ]);
  });

  it('the same folded name and birth date, or the same mobile, is a likely duplicate', () => {
    expect(
      findDuplicates({ id: 'new', fullName: 'فاطمه احمد علي الزهراني', birthDate: '1980-05-01' }, existing),
    ).toEqual([{ id: 'a', level: 'likely', reasons: ['name_and_birth_date'] }]);
    expect(findDuplicates({ id: 'new', fullName: 'نورة', mobile: '+966551234567' }, existing)).toEqual([
      { id: 'b', level: 'likely', reasons: ['mobile'] },
    ]);
  });

  it('a record is not a duplicate of itself, and the same name with another birth date is not flagged', () => {
    expect(findDuplicates(existing[0] ?? { id: '', fullName: '' }, existing)).toEqual([]);
    expect(
      findDuplicates({ id: 'new', fullName: 'فاطمة أحمد علي الزهراني', birthDate: '1981-05-01' }, existing),
    ).toEqual([]);
  });
});
