// A record as the app's records table would hold it without sealing: the data in the clear, the same index
// entries (search tokens, filter tags, agenda) unblinded. The benchmarks' "not encrypted" side and floor.
import type { LocalRecord, StoredRecord } from '../../src/db/database';
import { agendaOf } from '../../src/db/agenda';
import { searchTokens } from '../../src/domain/arabic-search';
import { filterTagsOf } from '../../src/domain/beneficiary-filters';

export function plainRow(record: LocalRecord): StoredRecord & { data: unknown } {
  const data = record.data ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    ...record,
    sealed: null,
    data,
    tokens: [
      ...searchTokens({
        names: [text(data.fullName)],
        nationalId: text(data.nationalId),
        mobile: text(data.mobile),
      }),
      ...filterTagsOf(data),
    ],
    agenda: agendaOf(record.entity, data),
  };
}
