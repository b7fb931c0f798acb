// The duplicate check when a beneficiary is registered: always the device's own records (offline too), and,
// when online, the association's answer from the server, which also knows the other branches' files and
// the people listed in households. What the server names that the device already holds is shown once.
import type { RecordsRepository } from '../db/records-repository';
import { findDuplicates, type DuplicateCandidate, type DuplicateReason } from '../domain/duplicates';
import type { DuplicateCheckResponse } from '../protocol/duplicates';
import type { DuplicateCheckRequest } from '../protocol/duplicates-request';

export interface FoundDuplicate {
  /** A duplicate stops the registration; a likely one asks once. */
  level: 'duplicate' | 'likely';
  reasons: DuplicateReason[];
  /** Listed in this beneficiary's household, rather than registered in their own name. */
  inHousehold: boolean;
  /** The file's beneficiary, when the user may read it: opened here if it is already on the device. */
  beneficiary: { id: string; fullName: string; onDevice: boolean } | null;
  /** The branch that holds the file, as the server named it (null when the device found it). */
  branch: { nameAr: string; nameEn: string } | null;
}

/** Whether the server's answer is in: asked, not asked (offline), or asked without an answer. */
export type ServerCheck = 'asked' | 'offline' | 'failed';

export interface DuplicateCheck {
  found: FoundDuplicate[];
  server: ServerCheck;
}

/** How long a registration waits for the server before going on with the device's answer alone. */
export const SERVER_CHECK_TIMEOUT_MS = 4000;

export interface DuplicateCheckDeps {
  records: Pick<RecordsRepository, 'search' | 'get'>;
  online: boolean;
  /** Asks the server; rejects when it cannot answer. */
  ask: (request: DuplicateCheckRequest, signal: AbortSignal) => Promise<DuplicateCheckResponse>;
  timeoutMs?: number;
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Beneficiaries on this device found by a national ID or a mobile. */
async function onDevice(
  records: DuplicateCheckDeps['records'],
  query: string,
): Promise<DuplicateCandidate[]> {
  const found = await records.search('beneficiary', query);
  if (found.kind !== 'results') return [];
  return found.records.map((r) => ({
    id: r.recordId,
    fullName: textOf(r.data?.fullName),
    nationalId: textOf(r.data?.nationalId),
    mobile: textOf(r.data?.mobile),
  }));
}

/** The server's answer, or why there is none; never longer than the timeout. */
async function askServer(
  deps: DuplicateCheckDeps,
  request: DuplicateCheckRequest,
): Promise<DuplicateCheckResponse | 'offline' | 'failed'> {
  if (!deps.online) return 'offline';
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'failed'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('failed');
    }, deps.timeoutMs ?? SERVER_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([deps.ask(request, controller.signal), timedOut]);
  } catch {
    // Unreachable, refused (too many checks) or a bad answer: the device's check stands alone.
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/** Who the person being registered may already be; duplicates first. `person` is already validated. */
export async function checkForDuplicates(
  deps: DuplicateCheckDeps,
  person: { fullName: string; nationalId: string; mobile: string },
): Promise<DuplicateCheck> {
  const [byId, byMobile, answer] = await Promise.all([
    onDevice(deps.records, person.nationalId),
    onDevice(deps.records, person.mobile),
    askServer(deps, { nationalId: person.nationalId, mobile: person.mobile }),
  ]);
  const candidates = new Map([...byId, ...byMobile].map((c) => [c.id, c]));
  const found: FoundDuplicate[] = findDuplicates(
    { id: '', fullName: person.fullName, nationalId: person.nationalId, mobile: person.mobile },
    [...candidates.values()],
  ).map((m) => ({
    level: m.level,
    reasons: m.reasons,
    inHousehold: false,
    beneficiary: { id: m.id, fullName: candidates.get(m.id)?.fullName ?? '', onDevice: true },
    branch: null,
  }));
  if (typeof answer === 'string') return { found, server: answer };
  for (const m of answer.matches) {
    const reasons: DuplicateReason[] = [...m.reasons];
    const same = found.find((f) => !f.inHousehold && f.beneficiary?.id === m.beneficiary?.id);
    if (m.as === 'beneficiary' && m.beneficiary !== null && same !== undefined) {
      // The device found it too; the server may add a reason (a mobile changed since the last sync).
      same.reasons = [...new Set([...same.reasons, ...reasons])];
      if (reasons.includes('national_id')) same.level = 'duplicate';
      continue;
    }
    const known =
      m.beneficiary === null ? undefined : await deps.records.get('beneficiary', m.beneficiary.id);
    found.push({
      // Someone listed in another's household may be starting a household of their own: asked, not stopped.
      level: m.as === 'beneficiary' && reasons.includes('national_id') ? 'duplicate' : 'likely',
      reasons,
      inHousehold: m.as === 'household_member',
      beneficiary: m.beneficiary === null ? null : { ...m.beneficiary, onDevice: known !== undefined },
      branch: m.branch,
    });
  }
  found.sort((a, b) => (a.level === b.level ? 0 : a.level === 'duplicate' ? -1 : 1));
  return { found, server: 'asked' };
}
