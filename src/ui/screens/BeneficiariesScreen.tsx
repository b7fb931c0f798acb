// Beneficiaries on this device: search (folded Arabic, ID or phone prefix), register one, open one.
// Works offline: everything is read from and written to IndexedDB, and synced later.
import { useState } from 'preact/hooks';
import { NAME_PART_MAX } from '../../protocol/entities';
import { entityErrors } from '../../protocol/validate';
import { reportError } from '../../state/error-report';
import { queryTokens } from '../../domain/arabic-search';
import { checkNationalId } from '../../domain/national-id';
import { checkSaudiMobile } from '../../domain/phone';
import type { LocalRecord } from '../../db/database';
import type { SearchResult } from '../../db/record-index';
import { checkForDuplicates, type DuplicateCheck, type ServerCheck } from '../../state/duplicate-check';
import { useLive } from '../../state/use-live';
import { useStore } from '../../state/use-store';
import { useAppState, useLang, useT, useWorkspace } from '../context';
import { SearchBox, SelectField } from '../components/Field';
import { useProfile } from '../use-profile';
import { missingDetails, type BeneficiaryFilter } from '../../domain/beneficiary-filters';
import { textOf } from '../text';
import { useBeneficiaryT } from '../i18n/beneficiary';
import type { MessageKey } from '../i18n/i18n';
import { nameParts, type NamePart } from '../beneficiary-profile';

const isPart = (name: string): name is NamePart => nameParts.some((p) => p === name);
type Errors = Partial<Record<NamePart | 'nationalId' | 'mobile', MessageKey>>;

/** Who the person being registered may already be, each a link to open when it is on the device. */
function Duplicates({ check }: { check: DuplicateCheck }) {
  const t = useBeneficiaryT();
  const lang = useLang();
  const { router } = useAppState();
  const certain = check.found.filter((m) => m.level === 'duplicate');
  // The same person in a file this user cannot open (another branch's): not "open their file".
  const lead =
    certain.length === 0
      ? 'duplicates.likely'
      : certain.some((m) => m.beneficiary !== null)
        ? 'duplicates.same'
        : 'duplicates.sameElsewhere';
  return (
    <div class="banner--update card" role="alert" data-testid="duplicates">
      <p>{t(lead)}</p>
      <ul class="plain">
        {check.found.map((m, i) => {
          const who = m.beneficiary;
          const where = m.branch === null ? '' : lang === 'ar' ? m.branch.nameAr : m.branch.nameEn;
          return (
            <li key={i} data-testid="duplicate">
              {who === null ? (
                <span>{t('duplicates.elsewhere', { branch: where })}</span>
              ) : who.onDevice ? (
                <a
                  href={`/b/${who.id}`}
                  dir="auto"
                  onClick={(e) => {
                    e.preventDefault();
                    router.getState().navigate(`/b/${who.id}`);
                  }}
                >
                  {who.fullName}
                </a>
              ) : (
                <span>
                  <bdi>{who.fullName}</bdi> {t('duplicates.notYetHere')}
                </span>
              )}{' '}
              <span class="muted">
                {[
                  ...(m.inHousehold ? [t('duplicates.inHousehold')] : []),
                  ...m.reasons.map((r) => t(`duplicates.reason.${r}`)),
                ].join('، ')}
              </span>
            </li>
          );
        })}
      </ul>
      {check.server !== 'asked' && <p class="hint">{t(`duplicates.server.${check.server}`)}</p>}
    </div>
  );
}

export function RegisterForm({ onSaved }: { onSaved: (id: string) => void }) {
  const t = useT();
  const dt = useBeneficiaryT();
  const { session, connectivity, api } = useAppState();
  const { records } = useWorkspace();
  const branchId = useStore(session.store, (s) => s.profile?.user.branchId ?? null);
  const online = useStore(connectivity, (s) => s.online);
  const blank = { first: '', father: '', grandfather: '', family: '', nationalId: '', mobile: '' };
  const [values, setValues] = useState(blank);
  const [errors, setErrors] = useState<Errors>({});
  // Who the person may already be, for what was typed; a likely match may be overridden, once.
  const [matches, setMatches] = useState<{ typed: string; check: DuplicateCheck } | null>(null);
  // After a registration: whether the server's answer was part of its duplicate check.
  const [saved, setSaved] = useState<ServerCheck | null>(null);
  // The four-part name, as household members are registered; the full name is its parts in order.
  const parts = nameParts.map((part) => values[part].trim());
  const fullName = parts.join(' ');
  const field = (
    name: keyof typeof values,
    label: string,
    dir: 'ltr' | 'auto',
    inputMode?: 'numeric' | 'tel',
  ) => {
    const error = errors[name];
    const long = isPart(name) && values[name].length > NAME_PART_MAX * 0.8;
    return (
      <label class="field">
        <span>{label}</span>
        <input
          name={name}
          dir={dir}
          inputMode={inputMode}
          value={values[name]}
          aria-invalid={error !== undefined}
          onInput={(e) => {
            setValues({ ...values, [name]: e.currentTarget.value });
          }}
        />
        {long && (
          <span class={values[name].length > NAME_PART_MAX ? 'error' : 'hint'} data-testid={`length-${name}`}>
            <bdi dir="ltr">
              {values[name].length}/{NAME_PART_MAX}
            </bdi>
          </span>
        )}
        {error !== undefined && (
          <span class="error" role="alert">
            {t(error, { length: values[name].trim().length, max: NAME_PART_MAX })}
          </span>
        )}
      </label>
    );
  };
  return (
    <form
      class="card form"
      data-testid="register-form"
      onSubmit={(e) => {
        e.preventDefault();
        const id = checkNationalId(values.nationalId);
        const phone = checkSaudiMobile(values.mobile);
        const next: Errors = {};
        // The record's own rules, as the server runs them: a name the server would refuse is refused here.
        const name = { first: parts[0], father: parts[1], grandfather: parts[2], family: parts[3] };
        const refused = entityErrors('beneficiary', { fullName, name }, undefined);
        for (const part of nameParts) {
          if (values[part].trim() === '') next[part] = 'error.required';
          else if (refused.some((f) => f.path === `name.${part}`)) next[part] = 'error.tooLong';
        }
        if (!id.ok) next.nationalId = 'error.national_id';
        if (!phone.ok) next.mobile = 'error.phone';
        setErrors(next);
        if (!id.ok || !phone.ok || Object.keys(next).length > 0 || branchId === null) return;
        const typed = JSON.stringify(values);
        setSaved(null);
        (async () => {
          // The same national ID is the same person; the same mobile probably is (asked once). Asking
          // again with the same entry uses the answer already shown.
          const again = matches?.typed === typed ? matches.check : null;
          const check =
            again ??
            (await checkForDuplicates(
              {
                records,
                online,
                ask: async (request, signal) =>
                  api.checkDuplicates(await session.accessToken(), request, signal),
              },
              { fullName, nationalId: id.value, mobile: phone.e164 },
            ));
          const confirmed = again !== null && check.found.every((m) => m.level === 'likely');
          if (check.found.length > 0 && !confirmed) {
            setMatches({ typed, check });
            return;
          }
          const recordId = crypto.randomUUID();
          await records.save('beneficiary', recordId, {
            branchId,
            fullName,
            name,
            nationalId: id.value,
            mobile: phone.e164,
          });
          setValues(blank);
          setMatches(null);
          setSaved(check.server);
          onSaved(recordId);
        })().catch((error: unknown) => {
          reportError(error, 'registration');
        });
      }}
    >
      <h2>{t('beneficiaries.add')}</h2>
      <fieldset class="name-parts">
        <legend>{t('beneficiaries.fullName')}</legend>
        <div class="grid-2">{nameParts.map((part) => field(part, dt(`household.${part}`), 'auto'))}</div>
      </fieldset>
      {field('nationalId', t('beneficiaries.nationalId'), 'ltr', 'numeric')}
      {field('mobile', t('beneficiaries.mobile'), 'ltr', 'tel')}
      {matches !== null && <Duplicates check={matches.check} />}
      {saved !== null && (
        <p class="hint" role="status" data-testid="registered">
          {dt('duplicates.registered')} {saved !== 'asked' && dt(`duplicates.server.${saved}`)}
        </p>
      )}
      <button type="submit" class="button">
        {matches !== null && matches.check.found.every((m) => m.level === 'likely')
          ? dt('duplicates.registerAnyway')
          : t('beneficiaries.save')}
      </button>
    </form>
  );
}

/** Beneficiaries listed per page. */
const PAGE = 50;

/** Filters of the list: a category of the profile (or none), and a complete or incomplete registration. */
function Filters({
  filter,
  onChange,
}: {
  filter: BeneficiaryFilter;
  onChange: (f: BeneficiaryFilter) => void;
}) {
  const t = useBeneficiaryT();
  const lang = useLang();
  const categories = useProfile()?.categories ?? [];
  return (
    <div class="filters" role="group" aria-label={t('filters.title')} data-testid="filters">
      <SelectField
        label={t('details.category')}
        name="category"
        value={filter.category ?? ''}
        placeholder={t('filters.anyCategory')}
        options={[
          ...categories.map((c) => ({ value: c.id, label: c.label[lang] })),
          { value: 'none', label: t('filters.noCategory') },
        ]}
        onChange={(v) => {
          onChange({ ...filter, category: v === '' ? undefined : v });
        }}
      />
      <SelectField
        label={t('filters.file')}
        name="file"
        value={filter.file ?? ''}
        placeholder={t('filters.anyFile')}
        options={[
          { value: 'incomplete', label: t('filters.incomplete') },
          { value: 'complete', label: t('filters.complete') },
        ]}
        onChange={(v) => {
          onChange({ ...filter, file: v === 'complete' || v === 'incomplete' ? v : undefined });
        }}
      />
    </div>
  );
}

export function BeneficiariesScreen() {
  const t = useT();
  const dt = useBeneficiaryT();
  const { router } = useAppState();
  const { records } = useWorkspace();
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<BeneficiaryFilter>({});
  const filtered = filter.category !== undefined || filter.file !== undefined;
  // A page at a time, through the index: only what is shown is opened.
  const [shown, setShown] = useState(PAGE);
  const nothing: { found: SearchResult; more: boolean } = {
    found: { kind: 'results', records: [] },
    more: false,
  };
  const { found, more } = useLive(
    async () => {
      if (queryTokens(query).length === 0 && !filtered) {
        const page = await records.page('beneficiary', shown);
        return { found: { kind: 'results', records: page.records } as SearchResult, more: page.more };
      }
      const result = await records.search('beneficiary', query, shown + 1, filter);
      return result.kind === 'results'
        ? {
            found: { kind: 'results', records: result.records.slice(0, shown) } as SearchResult,
            more: result.records.length > shown,
          }
        : { found: result, more: false };
    },
    [query, shown, filter],
    nothing,
  );
  const list: LocalRecord[] = found.kind === 'results' ? found.records : [];
  return (
    <main class="page">
      <h1>{t('section.beneficiaries')}</h1>
      <SearchBox
        label={t('beneficiaries.search')}
        value={query}
        onInput={(value) => {
          setQuery(value);
          setShown(PAGE);
        }}
      />
      <Filters
        filter={filter}
        onChange={(next) => {
          setFilter(next);
          setShown(PAGE);
        }}
      />
      {found.kind === 'tooShort' ? (
        <p class="hint" data-testid="search-too-short">
          {t('beneficiaries.searchTooShort')}
        </p>
      ) : list.length === 0 ? (
        <p class="hint">{t(query === '' && !filtered ? 'beneficiaries.empty' : 'beneficiaries.noMatch')}</p>
      ) : (
        <ul class="plain" data-testid="beneficiary-list">
          {list.map((r) => (
            <li key={r.key}>
              <a
                class="section-link"
                href={`/b/${r.recordId}`}
                data-testid="beneficiary"
                onClick={(e) => {
                  e.preventDefault();
                  router.getState().navigate(`/b/${r.recordId}`);
                }}
              >
                <span dir="auto">{textOf(r.data?.fullName)}</span>
                <bdi dir="ltr" class="muted">
                  {' '}
                  {textOf(r.data?.nationalId)}
                </bdi>
                {r.data !== null && missingDetails(r.data).length > 0 && (
                  <span class="badge badge--muted">{dt('filters.incomplete')}</span>
                )}
                {r.pending > 0 && <span class="badge">{t('beneficiaries.notSynced')}</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
      {more && (
        <button
          type="button"
          class="button button--ghost"
          data-testid="more"
          onClick={() => {
            setShown(shown + PAGE);
          }}
        >
          {dt('list.more')}
        </button>
      )}
      <RegisterForm onSaved={() => undefined} />
    </main>
  );
}
