// Sealing (vault.ts) of what the device keeps: a record's data bound to its key with its clear index entries
// beside it (search buckets, filter tags, agenda), and an outbox mutation bound to its id.
import { searchBuckets, searchTokens } from '../domain/arabic-search';
import { filterTagsOf } from '../domain/beneficiary-filters';
import type { EntityName } from '../protocol/entities';
import type { Mutation } from '../protocol/sync';
import { agendaOf } from './agenda';
import { parentIdOf, type LocalRecord, type OutboxEntry, type StoredRecord } from './database';
import type { Cipher } from './vault';

/**
 * What the clear entries beside a sealed row hold, by version: 1 the search buckets, 2 and the agenda,
 * 3 and the list's filter tags, 4 and the research and decision queues' agenda entries. A row sealed by this build carries this number; older rows are brought up
 * to it by the reindex after unlock, and the device remembers when none is left.
 */
export const INDEX_VERSION = 4;

/** The plain search tokens of a record: beneficiaries are searchable by name, ID and phone. */
export function tokensOf(entity: EntityName, data: Record<string, unknown> | null): string[] {
  if (entity !== 'beneficiary' || data === null) return [];
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return searchTokens({
    names: [text(data.fullName) ?? ''],
    nationalId: text(data.nationalId),
    mobile: text(data.mobile),
  });
}

/** The blind index entries of a record: its search buckets and, for a beneficiary, its filter tags. */
export function blindEntries(cipher: Cipher, entity: EntityName, data: Record<string, unknown> | null) {
  const filters = entity === 'beneficiary' && data !== null ? filterTagsOf(data) : [];
  return Promise.all([...searchBuckets(tokensOf(entity, data)), ...filters].map((b) => cipher.blind(b)));
}

/** Seals a record for storage: its data bound to its key, its index entries beside it. */
export async function sealRecord(cipher: Cipher, record: LocalRecord): Promise<StoredRecord> {
  const { data, ...clear } = record;
  const [sealed, tokens] = await Promise.all([
    data === null ? null : cipher.seal(data, record.key),
    blindEntries(cipher, record.entity, data),
  ]);
  return {
    ...clear,
    sealed,
    tokens,
    parentId: parentIdOf(data),
    agenda: agendaOf(record.entity, data),
    indexed: INDEX_VERSION,
  };
}

export async function openRecord(cipher: Cipher, stored: StoredRecord): Promise<LocalRecord> {
  const { key, entity, recordId, version, deleted, sealed, pending, updatedAt, parentId } = stored;
  const data = sealed === null ? null : await cipher.open<Record<string, unknown>>(sealed, key);
  return { key, entity, recordId, version, deleted, data, pending, updatedAt, parentId };
}

const mutationAad = (mutationId: string) => `mutation:${mutationId}`;

export async function openMutation(cipher: Cipher, entry: OutboxEntry): Promise<Mutation> {
  const rest = await cipher.open<Omit<Mutation, 'seq'>>(entry.sealed, mutationAad(entry.mutationId));
  return { ...rest, seq: entry.seq };
}

/** Seals a mutation for the outbox, bound to its id. */
export const sealMutation = (cipher: Cipher, mutation: Omit<Mutation, 'seq'>) =>
  cipher.seal(mutation, mutationAad(mutation.id));

export const openMutations = (cipher: Cipher, entries: readonly OutboxEntry[]) =>
  Promise.all(entries.map((e) => openMutation(cipher, e)));

/** The live rows among these, opened. */
export const openLive = (cipher: Cipher, rows: readonly StoredRecord[]) =>
  Promise.all(rows.filter((r) => !r.deleted).map((r) => openRecord(cipher, r)));

export function sameBytes(a: Uint8Array | null, b: Uint8Array | null) {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
