// The representative's worklist (src/state/worklist.ts): what needs attention today, most urgent first.
import { describe, expect, it } from 'vitest';
import type { LocalRecord } from '../../src/db/database';
import type { EntityName } from '../../src/protocol/entities';
import { worklistOf } from '../../src/state/worklist';

const today = '2026-11-22'; // a Sunday
const row = (entity: EntityName, recordId: string, data: Record<string, unknown>): LocalRecord => ({
  key: `${entity}:${recordId}`,
  entity,
  recordId,
  version: 1,
  deleted: false,
  data,
  pending: 0,
  updatedAt: '2026-11-01T00:00:00.000Z',
  parentId: typeof data.beneficiaryId === 'string' ? data.beneficiaryId : '',
});

describe('worklist', () => {
  it('C-GOAL C-OBJ-4 K-REL-c orders what needs attention: overdue replies, visits, follow-ups, decisions, close deadlines, drafts', () => {
    const items = worklistOf({
      today,
      holidays: [],
      beneficiaries: [
        row('beneficiary', 'b-today', { nextVisitOn: today }),
        row('beneficiary', 'b-missed', { nextVisitOn: '2026-11-19' }),
        row('beneficiary', 'b-later', { nextVisitOn: '2026-11-30' }),
        row('beneficiary', 'b-none', { nextVisitOn: null }),
      ],
      interactions: [
        // Due today, nothing since: a follow-up.
        row('interaction', 'i1', {
          beneficiaryId: 'b-none',
          occurredAt: '2026-11-10T09:00:00Z',
          followUpOn: today,
        }),
        // Due, but the beneficiary was contacted since: done.
        row('interaction', 'i2', {
          beneficiaryId: 'b-later',
          occurredAt: '2026-11-10T09:00:00Z',
          followUpOn: '2026-11-15',
        }),
        row('interaction', 'i3', { beneficiaryId: 'b-later', occurredAt: '2026-11-16T09:00:00Z' }),
      ],
      cases: [
        row('case', 'c-overdue', {
          beneficiaryId: 'b-none',
          status: 'submitted',
          deadline: { kind: 'dueBy', date: '2026-11-19' },
        }),
        row('case', 'c-close', {
          beneficiaryId: 'b-none',
          status: 'underResearch',
          deadline: { kind: 'dueBy', date: '2026-11-24' },
        }),
        row('case', 'c-far', {
          beneficiaryId: 'b-none',
          status: 'submitted',
          deadline: { kind: 'dueBy', date: '2026-12-13' },
        }),
        row('case', 'c-reply', {
          beneficiaryId: 'b-none',
          status: 'submitted',
          deadline: { kind: 'notBefore', date: '2026-11-20' },
        }),
        row('case', 'c-wait', {
          beneficiaryId: 'b-none',
          status: 'submitted',
          deadline: { kind: 'notBefore', date: '2026-12-06' },
        }),
        row('case', 'c-decided', {
          beneficiaryId: 'b-today',
          status: 'accepted',
          deadline: { kind: 'dueBy', date: '2026-11-01' },
        }),
        row('case', 'c-told', {
          beneficiaryId: 'b-today',
          status: 'rejected',
          decisionTold: { at: '2026-11-20T09:00:00Z', by: 'u', channel: 'sms', notificationId: 'n1' },
        }),
        row('case', 'c-draft', { beneficiaryId: 'b-missed', status: 'draft' }),
      ],
    });
    expect(items.map((i) => [i.kind, i.caseId ?? i.beneficiaryId])).toEqual([
      ['deadlineOverdue', 'c-overdue'],
      ['visitOverdue', 'b-missed'],
      ['visitToday', 'b-today'],
      ['followUp', 'b-none'],
      ['decisionToTell', 'c-decided'],
      ['deadlineClose', 'c-close'],
      ['replyExpected', 'c-reply'],
      ['draft', 'c-draft'],
    ]);
  });
});
