// The association's branches: add, rename, close. A branch closes only when its beneficiaries, open requests
// and staff have moved; the refusal says how many of each remain, and who.
import { useState } from 'preact/hooks';
import { ADMIN_BRANCHES_PATH, branchSchema, type BranchRow } from '../../../protocol/admin';
import { bindField, Field } from '../../components/Field';
import { useConsoleT } from '../../i18n/console';
import { FormActions } from './FormActions';
import { fieldErrors, useAdminApi, type Outcome } from './use-admin-api';

function notEmptyDetails(details: unknown): { beneficiaries: number; openRequests: number; staff: string[] } {
  const d = typeof details === 'object' && details !== null ? details : {};
  const number = (key: string) => {
    const value: unknown = Reflect.get(d, key);
    return typeof value === 'number' ? value : 0;
  };
  const staff = 'staff' in d && Array.isArray(d.staff) ? d.staff.map(String) : [];
  return { beneficiaries: number('beneficiaries'), openRequests: number('openRequests'), staff };
}

function BranchItem({ branch, onChange }: { branch: BranchRow; onChange: () => void }) {
  const t = useConsoleT();
  const api = useAdminApi();
  const [rename, setRename] = useState<{ nameAr: string; nameEn: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome<BranchRow> | null>(null);
  const path = `${ADMIN_BRANCHES_PATH}/${branch.id}`;
  const done = (result: Outcome<BranchRow>) => {
    setOutcome(result);
    if (result.ok) {
      setRename(null);
      onChange();
    }
  };
  const refusal = outcome !== null && !outcome.ok ? outcome : null;
  return (
    <li class="card" data-testid="branch" data-code={branch.code} data-closed={branch.closedAt !== null}>
      <p>
        <strong>{branch.nameAr}</strong> · {branch.nameEn} · <bdi dir="ltr">{branch.code}</bdi>
      </p>
      <p class="muted">
        {branch.closedAt !== null
          ? t('branches.closed', { date: branch.closedAt.slice(0, 10) })
          : t('branches.counts', { beneficiaries: branch.beneficiaries, open: branch.openRequests })}
      </p>
      {rename !== null ? (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void api.write('PATCH', path, rename, branchSchema).then(done);
          }}
        >
          <Field
            label={t('branches.nameAr')}
            name="nameAr"
            type="text"
            {...bindField(rename, setRename, 'nameAr')}
          />
          <Field
            label={t('branches.nameEn')}
            name="nameEn"
            type="text"
            dir="ltr"
            {...bindField(rename, setRename, 'nameEn')}
          />
          <FormActions
            onCancel={() => {
              setRename(null);
            }}
          />
        </form>
      ) : (
        branch.closedAt === null && (
          <div class="actions">
            <button
              type="button"
              class="button button--ghost"
              onClick={() => {
                setRename({ nameAr: branch.nameAr, nameEn: branch.nameEn });
              }}
            >
              {t('console.edit')}
            </button>
            <button
              type="button"
              class="button button--ghost"
              data-action="close"
              onClick={() => {
                void api.write('POST', `${path}/close`, {}, branchSchema).then(done);
              }}
            >
              {t('branches.close')}
            </button>
          </div>
        )
      )}
      {refusal !== null && (
        <p class="error" role="alert" data-code={refusal.code}>
          {refusal.code === 'branch_not_empty'
            ? (() => {
                const d = notEmptyDetails(refusal.details);
                return t('branches.notEmpty', {
                  beneficiaries: d.beneficiaries,
                  open: d.openRequests,
                  staff: d.staff.length === 0 ? '—' : d.staff.join('، '),
                });
              })()
            : t('console.failed', { message: refusal.message })}
        </p>
      )}
    </li>
  );
}

export function BranchesPanel({
  branches,
  onChange,
}: {
  branches: readonly BranchRow[];
  onChange: () => void;
}) {
  const t = useConsoleT();
  const api = useAdminApi();
  const blank = { code: '', nameAr: '', nameEn: '' };
  const [form, setForm] = useState(blank);
  const [outcome, setOutcome] = useState<Outcome<BranchRow> | null>(null);
  return (
    <section data-testid="branches">
      <form
        class="card form"
        data-testid="new-branch"
        onSubmit={(e) => {
          e.preventDefault();
          void api.write('POST', ADMIN_BRANCHES_PATH, form, branchSchema).then((result) => {
            setOutcome(result);
            if (!result.ok) return;
            setForm(blank);
            onChange();
          });
        }}
      >
        <h3>{t('branches.add')}</h3>
        <Field
          label={t('branches.code')}
          name="code"
          type="text"
          dir="ltr"
          required
          {...bindField(form, setForm, 'code')}
        />
        <Field
          label={t('branches.nameAr')}
          name="nameAr"
          type="text"
          required
          {...bindField(form, setForm, 'nameAr')}
        />
        <Field
          label={t('branches.nameEn')}
          name="nameEn"
          type="text"
          dir="ltr"
          required
          {...bindField(form, setForm, 'nameEn')}
        />
        <button type="submit" class="button">
          {t('console.add')}
        </button>
        {outcome !== null && !outcome.ok && (
          <p class="error" role="alert" data-code={outcome.code}>
            {t('console.failed', { message: outcome.message })}
            {fieldErrors(outcome.details).map((f) => ` ${f.path}: ${f.message}`)}
          </p>
        )}
      </form>
      <ul class="plain">
        {branches.map((b) => (
          <BranchItem
            key={`${b.id}:${b.nameAr}:${b.nameEn}:${String(b.closedAt)}`}
            branch={b}
            onChange={onChange}
          />
        ))}
      </ul>
    </section>
  );
}
