// The five policy profiles and the coverage of every clause of POLICY.md.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clauses } from '../../src/domain/clauses';
import { profiles } from '../../src/domain/profiles/associations';
import { profileSchema, type PolicyProfile } from '../../src/domain/profiles/profile';
import { entityNames } from '../../src/protocol/entity-names';

const root = join(import.meta.dirname, '..', '..');
const all = Object.values(profiles);
const byCode = (code: string) => profiles[code] as PolicyProfile;

describe('profiles', () => {
  it('exist for the five associations and pass their schema', () => {
    expect(Object.keys(profiles)).toEqual(['ld', 'bakkah', 'awn', 'qalb', 'kadi']);
    for (const p of all) expect(profileSchema.safeParse(p).success, p.code).toBe(true);
  });

  it('C-CH-1..8 the common texts list the eight channels; K-CH-a..h Kadi lists its own with fax, email and other', () => {
    for (const code of ['ld', 'bakkah', 'awn', 'qalb']) {
      expect(byCode(code).channels.map((c) => c.clause)).toEqual([
        'C-CH-1',
        'C-CH-2',
        'C-CH-3',
        'C-CH-4',
        'C-CH-5',
        'C-CH-6',
        'C-CH-7',
        'C-CH-8',
      ]);
    }
    const kadi = byCode('kadi');
    expect(kadi.channels.map((c) => c.clause)).toEqual([
      'K-CH-a',
      'K-CH-b',
      'K-CH-c',
      'K-CH-d',
      'K-CH-e',
      'K-CH-f',
      'K-CH-g',
      'K-CH-h',
    ]);
    expect(kadi.channels.map((c) => c.label.ar)).toEqual(
      expect.arrayContaining(['الفاكس', 'الموقع والبريد الإلكتروني']),
    );
    expect(kadi.channels.find((c) => c.id === 'other')?.freeText).toBe(true);
  });

  it('C-TOOL-4 and K-TOOL-e name the intake form in the text’s own words', () => {
    expect(byCode('bakkah').requestForm.ar).toBe('طلب دعم مستفيد');
    expect(byCode('kadi').requestForm.ar).toBe('نموذج طلب خدمة');
    expect(byCode('kadi').tools.map((t) => t.clause)).toEqual([
      'K-TOOL-a',
      'K-TOOL-b',
      'K-TOOL-c',
      'K-TOOL-d',
      'K-TOOL-e',
      'K-TOOL-f',
    ]);
  });

  it('C-PROC-5 K-PROC-f each reply rule as written: two weeks minimum from submission, 15 working days maximum from completion', () => {
    for (const code of ['ld', 'bakkah', 'awn', 'qalb']) {
      expect(byCode(code).deadlineRule).toEqual({ kind: 'notBefore', calendarDays: 14, from: 'submission' });
      expect(byCode(code).deadlineText.ar).toContain('لا تقل عن أسبوعين');
      expect(byCode(code).decidingBody.ar).toBe('لجنة البحث');
    }
    expect(byCode('kadi').deadlineRule).toEqual({ kind: 'dueWithin', workingDays: 15, from: 'completion' });
    expect(byCode('kadi').deadlineText.ar).toContain('لا تتجاوز (15) يوم عمل من تاريخ اكتمال الطلب');
    expect(byCode('kadi').decidingBody.ar).toBe('الوحدة الإدارية المختصة');
  });

  it('C-APPROVAL records the board approvals the texts state, and none where they do not', () => {
    expect(byCode('bakkah').policy.approval).toEqual({
      meeting: 'اجتماع مجلس الإدارة رقم (٢)',
      date: '2023-02-19',
    });
    expect(byCode('qalb').policy.approval).toEqual({ meeting: 'جلسة مجلس الإدارة (3)', date: '2023-07-15' });
    expect(byCode('awn').policy.approval?.meeting).toContain('الرابع لعام ٢٠٢٤');
    expect(byCode('ld').policy.approval).toBeNull();
  });

  it('L-SENSITIVE health data is sensitive for awn and qalb only, and restricted to fewer roles', () => {
    for (const code of ['awn', 'qalb']) {
      expect(byCode(code).sensitive.fields).toEqual(
        expect.arrayContaining(['medical_condition', 'medical_report']),
      );
      expect(byCode(code).sensitive.roles).not.toContain('representative');
    }
    for (const code of ['ld', 'bakkah', 'kadi'])
      expect(byCode(code).sensitive.fields).not.toContain('medical_condition');
  });

  it('L-RETAIN every profile keeps each record type of a beneficiary for a stated period, financial ones 10 years', () => {
    for (const profile of all) {
      const years = new Map(profile.retention.map((r) => [r.entity, r.years]));
      // Named as on the wire, once each.
      expect(years.size).toBe(profile.retention.length);
      for (const entity of years.keys()) expect(entityNames).toContain(entity);
      for (const entity of ['beneficiary', 'household_member', 'interaction', 'attachment', 'complaint'])
        expect(years.get(entity), `${profile.code} ${entity}`).toBeGreaterThan(0);
      for (const entity of ['case', 'decision', 'compensation']) expect(years.get(entity)).toBe(10);
      // What holds no beneficiary's data is not purged.
      for (const entity of ['survey', 'policy_acknowledgement', 'holiday'])
        expect(years.has(entity)).toBe(false);
    }
  });

  it('K-PROC-b L-MIN every service states its criteria and only its own requirements, with unique ids', () => {
    for (const p of all) {
      for (const s of p.serviceTypes) {
        expect(s.criteria.length, `${p.code}/${s.id}`).toBeGreaterThan(0);
        const ids = s.requirements.map((r) => r.id);
        expect(new Set(ids).size, `${p.code}/${s.id}`).toBe(ids.length);
      }
    }
  });

  it('K-COMP K-CMPL K-INFO K-SAT K-RESP only Kadi has the optional chapters', () => {
    expect(byCode('kadi').chapters).toMatchObject({
      compensation: true,
      complaints: true,
      contactOfficers: true,
      staffSignOff: true,
    });
    expect(byCode('kadi').chapters.satisfactionMethods).toHaveLength(6);
    expect(byCode('bakkah').chapters).toMatchObject({ compensation: false, complaints: false });
  });

  it('K-INFO-a a contact officer for every beneficiary category where the text has the chapter, none elsewhere', () => {
    for (const profile of Object.values(profiles)) {
      const ids = profile.categories.map((c) => c.id);
      for (const officer of profile.contactOfficers)
        for (const category of officer.categories) expect(ids, profile.code).toContain(category);
      if (profile.chapters.contactOfficers)
        for (const id of ids)
          expect(
            profile.contactOfficers.some((o) => o.categories.includes(id)),
            `${profile.code}: ${id}`,
          ).toBe(true);
      else expect(profile.contactOfficers, profile.code).toEqual([]);
    }
    expect(byCode('kadi').contactOfficers.length).toBeGreaterThan(0);
  });
});

describe('clause coverage', () => {
  const known = new Set(clauses.map((c) => c.id));

  it('every clause of every profile is a known clause with an implementing module that exists or an owning issue', () => {
    for (const p of all) {
      for (const id of p.clauses) {
        expect(known.has(id), `${p.code}: ${id}`).toBe(true);
      }
    }
    for (const clause of clauses) {
      const { modules, issue } = clause.owner;
      expect((modules?.length ?? 0) > 0 || issue !== undefined, clause.id).toBe(true);
      for (const path of modules ?? [])
        expect(existsSync(join(root, path)), `${clause.id}: ${path}`).toBe(true);
      if (issue !== undefined) expect([4, 5, 6, 7, 8], clause.id).toContain(issue);
    }
  });

  it('every clause is claimed by at least one profile, and the ids are unique', () => {
    const claimed = new Set(all.flatMap((p) => p.clauses));
    expect(clauses.filter((c) => !claimed.has(c.id)).map((c) => c.id)).toEqual([]);
    expect(known.size).toBe(clauses.length);
  });

  it('the clause list is exactly the one of shared/POLICY.md (or, without it, the 76 ids it had)', () => {
    const policy = join(root, '..', 'shared', 'POLICY.md');
    if (!existsSync(policy)) {
      expect(clauses).toHaveLength(76);
      return;
    }
    const expand = (id: string): string[] => {
      const numeric = /^(.*-)(\d+)\.\.(\d+)$/.exec(id);
      if (numeric) {
        const [, prefix = '', from = '0', to = '0'] = numeric;
        return Array.from(
          { length: Number(to) - Number(from) + 1 },
          (_, i) => `${prefix}${Number(from) + i}`,
        );
      }
      const letters = /^(.*-)([a-z])\.\.([a-z])$/.exec(id);
      if (letters) {
        const [, prefix = '', from = 'a', to = 'a'] = letters;
        return Array.from(
          { length: to.charCodeAt(0) - from.charCodeAt(0) + 1 },
          (_, i) => `${prefix}${String.fromCharCode(from.charCodeAt(0) + i)}`,
        );
      }
      return [id];
    };
    const ids = [
      ...readFileSync(policy, 'utf8').matchAll(/^\| ([CKL]-[A-Z0-9]+(?:-[A-Za-z0-9.]+)?) \|/gm),
    ].flatMap((m) => expand(m[1] ?? ''));
    expect(clauses.map((c) => c.id)).toEqual(ids);
  });
});
