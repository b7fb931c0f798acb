// The beneficiary's own data in one form with one save: the name (four parts, as registered), the mobile,
// more details and the National Address. Every wrong field is named at once and nothing is saved until all
// are right; what was typed stays until it is saved.
import { useEffect, useRef, useState } from 'preact/hooks';
import { noticeOf } from '../../domain/privacy-notice';
import type { PolicyProfile } from '../../domain/profiles/profile';
import type { LocalRecord } from '../../db/database';
import { FULL_NAME_MAX, NAME_PART_MAX } from '../../protocol/entities';
import { reportError } from '../../state/error-report';
import { useStore } from '../../state/use-store';
import {
  draftOf,
  nameParts,
  profilePatch,
  type ProfileDraft,
  type ProfileError,
  type ProfileErrors,
} from '../beneficiary-profile';
import { useAppState, useT, useWorkspace } from '../context';
import { useBeneficiaryT } from '../i18n/beneficiary';
import { AddressFields } from './AddressFields';
import { DetailsFields } from './DetailsFields';
import { Field } from './Field';

export function ProfileForm({
  person,
  profile,
}: {
  person: LocalRecord;
  profile: PolicyProfile | undefined;
}) {
  const t = useT();
  const it = useBeneficiaryT();
  const { session } = useAppState();
  const { records } = useWorkspace();
  const userId = useStore(session.store, (s) => s.profile?.user.id ?? '');
  const data = person.data ?? {};
  // Null until something is typed: the form then follows the record (a sync may bring a newer one).
  const [draft, setDraft] = useState<ProfileDraft | null>(null);
  // The record as it was when typing began: only what the user changed from it is saved, so a change a
  // sync brings meanwhile (a colleague's new mobile) is not written back over with the old value.
  const [from, setFrom] = useState<Record<string, unknown> | null>(null);
  const [errors, setErrors] = useState<ProfileErrors>({});
  const [outcome, setOutcome] = useState<'saved' | 'unchanged' | null>(null);
  // Each refused save takes the user to the first field to correct, wherever they were on the page.
  const [refusals, setRefusals] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (refusals > 0) form.current?.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
  }, [refusals]);
  const current = draft ?? draftOf(data);
  const change = (next: Partial<ProfileDraft>) => {
    if (draft === null) setFrom(data);
    setDraft({ ...current, ...next });
    setOutcome(null);
  };
  const reset = () => {
    setDraft(null);
    setFrom(null);
  };
  const message = (error: ProfileError | undefined, typed: string, max: number) => {
    if (error === undefined) return undefined;
    if (error === 'required') return t('error.required');
    return t('error.tooLong', { length: typed.length, max });
  };
  const failed = Object.keys(errors).length > 0;
  return (
    <form
      ref={form}
      class="card form"
      data-testid="profile-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const result = profilePatch(from ?? data, current, {
          noticeVersion: noticeOf(profile).version,
          userId,
          now: Date.now,
        });
        if (!result.ok) {
          setErrors(result.errors);
          setOutcome(null);
          setRefusals((n) => n + 1);
          return;
        }
        setErrors({});
        if (Object.keys(result.patch).length === 0) {
          reset();
          setOutcome('unchanged');
          return;
        }
        records.save('beneficiary', person.recordId, result.patch).then(
          () => {
            reset();
            setOutcome('saved');
          },
          (error: unknown) => {
            // The draft stays on screen: nothing typed is lost.
            reportError(error, 'beneficiary');
          },
        );
      }}
    >
      <fieldset class="group" data-testid="identity">
        <legend>{t('beneficiary.identity')}</legend>
        {current.name === null ? (
          <Field
            label={t('beneficiaries.fullName')}
            name="fullName"
            type="text"
            value={current.fullName}
            error={message(errors.fullName, current.fullName, FULL_NAME_MAX)}
            onInput={(fullName) => {
              change({ fullName });
            }}
          />
        ) : (
          <div class="grid-2">
            {nameParts.map((part) => (
              <Field
                key={part}
                label={it(`household.${part}`)}
                name={part}
                type="text"
                value={current.name?.[part] ?? ''}
                error={message(errors[`name.${part}`], current.name?.[part] ?? '', NAME_PART_MAX)}
                onInput={(typed) => {
                  if (current.name !== null) change({ name: { ...current.name, [part]: typed } });
                }}
              />
            ))}
          </div>
        )}
        <Field
          label={t('beneficiaries.mobile')}
          name="mobile"
          type="text"
          dir="ltr"
          inputMode="tel"
          value={current.mobile}
          error={errors.mobile === undefined ? undefined : t('error.phone')}
          onInput={(mobile) => {
            change({ mobile });
          }}
        />
        <Field
          label={t('beneficiary.email')}
          name="email"
          type="text"
          dir="ltr"
          value={current.email}
          error={errors.email === undefined ? undefined : t('error.email')}
          onInput={(email) => {
            change({ email });
          }}
        />
      </fieldset>
      {profile !== undefined && (
        <DetailsFields
          profile={profile}
          value={current.details}
          errors={errors}
          onChange={(details) => {
            change({ details });
          }}
          consent={current.consent}
          consented={(data.consent as { noticeVersion?: string } | undefined)?.noticeVersion}
          onConsent={(consent) => {
            change({ consent });
          }}
        />
      )}
      <AddressFields
        value={current.address}
        errors={errors}
        onChange={(address) => {
          change({ address });
        }}
      />
      {failed && (
        <p class="error" role="alert" data-testid="profile-errors">
          {t('beneficiary.fix')}
        </p>
      )}
      {outcome !== null && (
        <p class="done" role="status" data-testid="profile-saved">
          ✓ {t(outcome === 'saved' ? 'beneficiary.saved' : 'beneficiary.unchanged')}
        </p>
      )}
      {/* While something is typed and unsaved, the save stays in reach at the bottom of the screen. */}
      <div class={draft === null ? 'actions' : 'actions actions--sticky'}>
        <button type="submit" class="button" data-testid="profile-save">
          {t('beneficiaries.save')}
        </button>
        {draft !== null && (
          <button
            type="button"
            class="button button--ghost"
            onClick={() => {
              reset();
              setErrors({});
            }}
          >
            {t('beneficiary.undo')}
          </button>
        )}
      </div>
    </form>
  );
}
