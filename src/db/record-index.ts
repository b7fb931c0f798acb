// The blind index over sealed records: search by name, ID or phone (and the list's filters), the agenda
// entries the worklists read, and bringing rows sealed by an older build up to this build's entries.
import { matchesQuery, queryBuckets, queryTokens } from '../domain/arabic-search';
import { tagsOfFilter, type BeneficiaryFilter } from '../domain/beneficiary-filters';
import type { EntityName } from '../protocol/entities';
import { agendaOf } from './agenda';
import type { LocalRecord, StoredRecord, WaselDb } from './database';
import { blindEntries, INDEX_VERSION, openLive, openRecord, sameBytes, tokensOf } from './sealing';
import type { Cipher } from './vault';

const INDEXED = 'index.version';
/** Rows opened at a time by the reindex. */
const REINDEX_SLICE = 256;
/** Search candidates read and opened at a time, until a page is full. */
const SEARCH_SLICE = 64;
/** Keys of the smallest bucket read first; four times more each time the page is not full yet. */
const SEARCH_FIRST_KEYS = 256;

/** An agenda entry and the key of the record it belongs to. */
export interface AgendaEntry {
  entry: string;
  key: string;
}

export type SearchResult = { kind: 'results'; records: LocalRecord[] } | { kind: 'tooShort' };

export function createRecordIndex(db: WaselDb, cipher: Cipher) {
  const openAll = (rows: readonly StoredRecord[]) => openLive(cipher, rows);
  return {
    /**
     * Records of an entity whose name, ID or phone starts with the words typed, up to `limit`, newest
     * change first within the page. A match is in every word's bucket of the blind index: the smallest
     * bucket is walked in the index's order, a growing slice of keys at a time; a row not in the other
     * buckets (its clear index entries say so) is not even opened, and the rest are opened and checked
     * word by word until the page is full. Reading every key of a large bucket costs more than the few
     * rows a page needs, so no bucket is read whole unless the matches are that rare.
     */
    async search(
      entity: EntityName,
      query: string,
      limit = Infinity,
      filter: BeneficiaryFilter = {},
    ): Promise<SearchResult> {
      const buckets = queryBuckets(query);
      // Words typed but none long enough to look up: say so, even when a filter alone could list.
      if (buckets.length === 0 && queryTokens(query).length > 0) return { kind: 'tooShort' };
      const tags = await Promise.all([...buckets, ...tagsOfFilter(filter)].map((b) => cipher.blind(b)));
      if (tags.length === 0) return { kind: 'tooShort' };
      const sizes = await Promise.all(tags.map((tag) => db.records.where('tokens').equals(tag).count()));
      const [walk = '', ...others] = tags
        .map((tag, i) => ({ tag, size: sizes[i] ?? 0 }))
        .sort((a, b) => a.size - b.size)
        .map((b) => b.tag);
      const prefix = `${entity}:`;
      const records: LocalRecord[] = [];
      const seen = new Set<string>();
      for (let size = SEARCH_FIRST_KEYS; records.length < limit; size *= 4) {
        const read = await db.records.where('tokens').equals(walk).limit(size).primaryKeys();
        const keys = read.filter((key) => !seen.has(key));
        for (const key of keys) seen.add(key);
        const mine = keys.filter((key) => key.startsWith(prefix));
        for (let at = 0; at < mine.length && records.length < limit; at += SEARCH_SLICE) {
          const rows = (await db.records.bulkGet(mine.slice(at, at + SEARCH_SLICE))).filter(
            (r): r is StoredRecord =>
              r !== undefined && !r.deleted && others.every((tag) => r.tokens.includes(tag)),
          );
          const opened = await openAll(rows);
          records.push(...opened.filter((r) => matchesQuery(tokensOf(entity, r.data), query)));
        }
        // Fewer keys than asked for: the whole bucket has been read.
        if (read.length < size) break;
      }
      const page = records.slice(0, limit).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      return { kind: 'results', records: page };
    },
    /** How many agenda entries lie between `lower` and `upper` (both included): the index alone counts. */
    agendaCount: (lower: string, upper: string) =>
      db.records.where('agenda').between(lower, upper, true, true).count(),
    /** Agenda entries between `lower` and `upper` (both included), in order, read from the index alone. */
    async agenda(
      lower: string,
      upper: string,
      options: { limit?: number; reverse?: boolean } = {},
    ): Promise<AgendaEntry[]> {
      let range = db.records.where('agenda').between(lower, upper, true, true);
      if (options.reverse === true) range = range.reverse();
      if (options.limit !== undefined) range = range.limit(options.limit);
      const entries: AgendaEntry[] = [];
      await range.eachKey((entry, cursor) => {
        if (typeof entry === 'string') entries.push({ entry, key: cursor.primaryKey });
      });
      return entries;
    },
    /**
     * Brings rows sealed by an older build up to this build's index entries (INDEX_VERSION), once per
     * device, after unlock: a slice of rows at a time in key order, so that a large device is never read
     * into memory whole. A row written meanwhile has been sealed afresh and is left alone. Returns the
     * number of rows reindexed.
     */
    async reindex(): Promise<number> {
      if ((await db.meta.get(INDEXED))?.value === INDEX_VERSION) return 0;
      let done = 0;
      for (let after: string | null = null; ;) {
        const range = after === null ? db.records.orderBy('key') : db.records.where('key').above(after);
        const rows: StoredRecord[] = await range.limit(REINDEX_SLICE).toArray();
        const last = rows.at(-1);
        if (last === undefined) break;
        after = last.key;
        const stale = rows.filter((r) => r.indexed !== INDEX_VERSION);
        if (stale.length === 0) continue;
        const fresh = await Promise.all(
          stale.map(async (row) => {
            const { data } = await openRecord(cipher, row);
            return {
              tokens: await blindEntries(cipher, row.entity, data),
              agenda: agendaOf(row.entity, data),
            };
          }),
        );
        await db.transaction('rw', db.records, async () => {
          const current = await db.records.bulkGet(stale.map((r) => r.key));
          const put = current.flatMap((row, i): StoredRecord[] => {
            const was = stale[i];
            const entries = fresh[i];
            if (row === undefined || was === undefined || entries === undefined) return [];
            if (row.indexed === INDEX_VERSION || row.version !== was.version) return [];
            if (!sameBytes(row.sealed?.iv ?? null, was.sealed?.iv ?? null)) return [];
            return [{ ...row, ...entries, indexed: INDEX_VERSION }];
          });
          await db.records.bulkPut(put);
          done += put.length;
        });
      }
      await db.meta.put({ key: INDEXED, value: INDEX_VERSION });
      return done;
    },
  };
}
