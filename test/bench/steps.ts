// What the server's authority over a request costs (issue 18): one device pushes requests taken to submission
// as named steps — each re-run by the server through the case machine, with the facts it reads from its own
// tables (the beneficiary, household, documents, signature) and the declared data's hash — beside the same
// device pushing plain records, in the same run, on the embedded server (PGlite) over loopback.
import { createHash, randomUUID } from 'node:crypto';
import { gatherFacts } from '../../src/domain/case-facts';
import { requestNumber, type CaseEvent } from '../../src/domain/case-machine';
import { privacyNotice } from '../../src/domain/privacy-notice';
import { riyadhDate } from '../../src/domain/working-days';
import { apiLogin, startServer, type RunningServer } from '../e2e/harness';
import { profileOf } from '../../src/domain/profiles/associations';
import { households, type BenchRecord } from './dataset';

type Data = Record<string, unknown>;

interface Draft {
  entity: string;
  recordId: string;
  op: 'upsert' | 'event';
  patch: Data;
  event?: CaseEvent;
}

const asUpsert = (r: BenchRecord): Draft => ({
  entity: r.entity,
  recordId: r.recordId,
  op: 'upsert',
  patch: r.data,
});

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Pushes the drafts in order, in pushes of 500 from one client; returns the milliseconds taken. */
async function pushAll(server: RunningServer, token: string, drafts: readonly Draft[]): Promise<number> {
  const clientId = randomUUID();
  const started = performance.now();
  for (let start = 0; start < drafts.length; start += 500) {
    const mutations = drafts.slice(start, start + 500).map((d, i) => ({
      id: randomUUID(),
      seq: start + i + 1,
      baseVersion: 0,
      at: new Date().toISOString(),
      ...d,
    }));
    const response = await fetch(`${server.url}/api/v1/sync/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientId, mutations }),
    });
    if (!response.ok) throw new Error(`push: ${response.status} ${await response.text()}`);
    const answer = (await response.json()) as { results: { status: string }[] };
    const refused = answer.results.filter((r) => r.status !== 'applied');
    if (refused.length > 0) throw new Error(`refused: ${JSON.stringify(refused[0])}`);
  }
  return performance.now() - started;
}

/** Kadi's aid request for one household (a head with a member), from opening to submission. */
const kadi = (() => {
  const profile = profileOf('kadi');
  if (profile === undefined) throw new Error('no kadi profile');
  return profile;
})();

function requestOf(head: BenchRecord, member: BenchRecord, today: string): Draft[] {
  const caseId = randomUUID();
  const beneficiaryId = head.recordId;
  // Every requirement of the service: the fields are on the head's record and the member's, the documents below.
  const items = kadi.serviceTypes.find((t) => t.id === 'aid')?.requirements.map((r) => r.id) ?? [];
  const photo = (requirementId: string | null): Draft => ({
    entity: 'attachment',
    recordId: randomUUID(),
    op: 'upsert',
    patch: {
      sha256: sha(`${caseId}:${requirementId ?? 'signature'}`),
      kind: requirementId === null ? 'signature' : 'document',
      mimeType: 'image/jpeg',
      size: 120_000,
      beneficiaryId,
      caseId,
      requirementId,
    },
  });
  const facts = gatherFacts(
    {
      request: { serviceTypeId: 'aid', providedItems: items },
      beneficiary: head.data,
      members: [{ id: member.recordId, data: member.data }],
      attachments: [],
      reports: [],
      notifications: [],
    },
    [],
    privacyNotice.version,
  );
  const signature = photo(null);
  const step = (event: CaseEvent): Draft => ({
    entity: 'case',
    recordId: caseId,
    op: 'event',
    patch: {},
    event,
  });
  return [
    step({ type: 'opened', beneficiaryId, number: requestNumber(today, caseId) }),
    photo('id_copy'),
    photo('income_proof'),
    signature,
    step({ type: 'receptionDone' }),
    step({ type: 'serviceChosen', serviceTypeId: 'aid' }),
    ...items.map((itemId) => step({ type: 'itemProvided', itemId })),
    step({ type: 'verified' }),
    step({
      type: 'declarationSigned',
      dataHash: sha(facts.declared),
      signatureHash: String(signature.patch.sha256),
      signerName: 'المستفيد',
    }),
    step({ type: 'submit' }),
  ];
}

export interface StepsRun {
  /** Plain records (heads and members) pushed, and the time. */
  plain: { mutations: number; ms: number };
  /** Requests to submission: their steps and attachment records, and the time. */
  steps: { requests: number; mutations: number; events: number; ms: number };
}

export async function stepsFigures(options: { requests: number; runs: number }): Promise<StepsRun[]> {
  const server = await startServer({ demo: true });
  try {
    const { accessToken, user } = await apiLogin(server.url, 'kadi.rep1');
    const runs: StepsRun[] = [];
    const today = riyadhDate(Date.now());
    const of = {
      branchId: user.branchId,
      userId: user.id,
      channels: kadi.channels.map((c) => c.id),
      categories: kadi.categories.map((c) => c.id),
    };
    // Not counted: the first push of a fresh server pays for its warm-up (JIT, connections, caches).
    const warmUp = households(50, of, 99).map(asUpsert);
    await pushAll(server, accessToken, warmUp);
    for (let run = 0; run < options.runs; run++) {
      // About half the generated households have a member; twice as many give enough of those.
      // Ids of their own: never the other benchmarks' households, nor an earlier run's.
      const records = households(options.requests * 2 + 20, of, 100 + run);
      const current = records.map((r) =>
        r.entity === 'beneficiary'
          ? {
              ...r,
              data: {
                ...r.data,
                consent: { ...(r.data.consent as Data), noticeVersion: privacyNotice.version },
              },
            }
          : r,
      );
      const plain = current.map(asUpsert);
      const plainMs = await pushAll(server, accessToken, plain);
      const heads = new Map(current.filter((r) => r.entity === 'beneficiary').map((r) => [r.recordId, r]));
      const pairs = current
        .filter((r) => r.entity === 'household_member')
        .flatMap((m) => {
          const head = heads.get(String(m.data.beneficiaryId));
          return head === undefined ? [] : [{ head, member: m }];
        })
        .slice(0, options.requests);
      const drafts = pairs.flatMap(({ head, member }) => requestOf(head, member, today));
      const stepsMs = await pushAll(server, accessToken, drafts);
      runs.push({
        plain: { mutations: plain.length, ms: plainMs },
        steps: {
          requests: pairs.length,
          mutations: drafts.length,
          events: drafts.filter((d) => d.op === 'event').length,
          ms: stepsMs,
        },
      });
    }
    return runs;
  } finally {
    await server.stop();
  }
}
