// "سجل التواصل" (C-CH, K-CH, C-OBJ-3): every contact with beneficiaries on this device, newest first, a page
// at a time; searchable by the beneficiary's name, ID or mobile (through the search index, offline). Each
// entry opens the beneficiary's file, where a new contact is logged.
import { useState } from 'preact/hooks';
import { queryTokens } from '../../domain/arabic-search';
import { recordKey, type LocalRecord } from '../../db/database';
import { useLive } from '../../state/use-live';
import { useAppState, useLang, useWorkspace } from '../context';
import { useFieldT } from '../i18n/field';
import { useBeneficiaryT, type BeneficiaryKey } from '../i18n/beneficiary';
import { textOf } from '../text';
import { useDates } from '../dates';
import { useProfile } from '../use-profile';
import { SearchBox } from '../components/Field';

const PAGE = 30;
/** People whose contacts a search gathers. */
const PEOPLE = 20;

interface Shown {
  contacts: LocalRecord[];
  people: Map<string, LocalRecord>;
  more: boolean;
  /** The search is too short to run. */
  tooShort: boolean;
}

const newestFirst = (a: LocalRecord, b: LocalRecord) =>
  textOf(b.data?.occurredAt).localeCompare(textOf(a.data?.occurredAt));

export function ContactsScreen() {
  const t = useFieldT();
  const dates = useDates();
  const it = useBeneficiaryT();
  const lang = useLang();
  const { router } = useAppState();
  const { records } = useWorkspace();
  const channels = useProfile()?.channels ?? [];
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const shown = useLive(
    async (): Promise<Shown> => {
      if (queryTokens(query).length === 0) {
        const page = await records.page('interaction', limit);
        const contacts = page.records.filter((c) => c.data !== null).sort(newestFirst);
        const people = await records.openMany(
          contacts.map((c) => recordKey('beneficiary', textOf(c.data?.beneficiaryId))),
        );
        return { contacts, people, more: page.more, tooShort: false };
      }
      const found = await records.search('beneficiary', query, PEOPLE);
      if (found.kind === 'tooShort') return { contacts: [], people: new Map(), more: false, tooShort: true };
      const lists = await Promise.all(found.records.map((p) => records.listOf('interaction', p.recordId)));
      const all = lists
        .flat()
        .filter((c) => c.data !== null)
        .sort(newestFirst);
      return {
        contacts: all.slice(0, limit),
        people: new Map(found.records.map((p) => [p.key, p])),
        more: all.length > limit,
        tooShort: false,
      };
    },
    [query, limit],
    null as Shown | null,
  );
  return (
    <main class="page" data-testid="contacts-screen">
      <h1>{t('contacts.title')}</h1>
      <p class="hint">{t('contacts.lead')}</p>
      <SearchBox
        label={t('contacts.search')}
        testId="contacts-search"
        value={query}
        onInput={(value) => {
          setQuery(value);
          setLimit(PAGE);
        }}
      />
      {shown === null ? null : shown.tooShort ? (
        <p class="hint">{t('start.tooShort')}</p>
      ) : shown.contacts.length === 0 ? (
        <p class="card hint">{t(query === '' ? 'contacts.none' : 'contacts.noMatch')}</p>
      ) : (
        <ul class="plain" data-testid="contacts-all">
          {shown.contacts.map((c) => {
            const personId = textOf(c.data?.beneficiaryId);
            const person = shown.people.get(recordKey('beneficiary', personId));
            const channel = channels.find((ch) => ch.id === c.data?.channel);
            return (
              <li key={c.key}>
                <a
                  class="section-link contact-entry"
                  href={`/b/${personId}`}
                  data-testid="contact-entry"
                  title={t('contacts.openFile')}
                  onClick={(e) => {
                    e.preventDefault();
                    router.getState().navigate(`/b/${personId}`);
                  }}
                >
                  <strong dir="auto">{textOf(person?.data?.fullName)}</strong>
                  <span class="muted">
                    {channel?.label[lang] ?? textOf(c.data?.channel)}
                    {' · '}
                    {it(`contacts.kind.${textOf(c.data?.kind)}` as BeneficiaryKey)}
                    {' · '}
                    <bdi>{dates.instant(textOf(c.data?.occurredAt))}</bdi>
                  </span>
                  <span class="contact-entry__summary" dir="auto">
                    {textOf(c.data?.summary)}
                  </span>
                  {c.data?.followUpOn !== undefined && (
                    <span class="muted">
                      {t('contacts.followUp')} <bdi dir="ltr">{textOf(c.data.followUpOn)}</bdi>
                    </span>
                  )}
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {shown?.more === true && (
        <button
          type="button"
          class="button button--ghost"
          onClick={() => {
            setLimit(limit + PAGE);
          }}
        >
          {t('contacts.more')}
        </button>
      )}
    </main>
  );
}
