// The association's people: add (one, or several from a CSV file), edit name, role and branch, disable
// with a reason, enable, reset a password. Every change is the server's to allow (administrators only).
import Papa from 'papaparse';
import { useEffect, useState } from 'preact/hooks';
import { associationWideRoles, roles, type Role } from '../../../domain/permissions';
import {
  ADMIN_USERS_PATH,
  userSchema,
  usersResponseSchema,
  type BranchRow,
  type UserRow,
} from '../../../protocol/admin';
import { bindField, Field, SelectField } from '../../components/Field';
import { useAppState, useLang, useT } from '../../context';
import { useStore } from '../../../state/use-store';
import { useConsoleT } from '../../i18n/console';
import { FormActions } from './FormActions';
import { fieldErrors, temporaryPassword, useAdminApi, type Outcome } from './use-admin-api';

function Refusal({ outcome }: { outcome: Outcome<unknown> | null }) {
  const t = useConsoleT();
  if (outcome === null || outcome.ok) return null;
  const fields = fieldErrors(outcome.details);
  return (
    <p class="error" role="alert" data-code={outcome.code}>
      {t('console.failed', { message: outcome.message })}
      {fields.length > 0 && ` (${fields.map((f) => `${f.path}: ${f.message}`).join('; ')})`}
    </p>
  );
}

function PlacementFields(props: {
  role: Role;
  branchId: string;
  branches: readonly BranchRow[];
  onRole: (role: Role) => void;
  onBranch: (id: string) => void;
}) {
  const t = useConsoleT();
  const common = useT();
  const lang = useLang();
  const wide = associationWideRoles.includes(props.role);
  return (
    <>
      <SelectField
        label={t('people.role')}
        name="role"
        value={props.role}
        onChange={(value) => {
          const role = roles.find((r) => r === value);
          if (role !== undefined) props.onRole(role);
        }}
        options={roles.map((r) => ({ value: r, label: common(`role.${r}`) }))}
      />
      <SelectField
        label={t('people.branch')}
        name="branch"
        value={wide ? '' : props.branchId}
        disabled={wide}
        placeholder={wide ? t('people.noBranch') : '…'}
        onChange={props.onBranch}
        options={props.branches
          .filter((b) => b.closedAt === null)
          .map((b) => ({ value: b.id, label: lang === 'ar' ? b.nameAr : b.nameEn }))}
      />
    </>
  );
}

function NewPerson({ branches, onDone }: { branches: readonly BranchRow[]; onDone: () => void }) {
  const t = useConsoleT();
  const api = useAdminApi();
  const blank = {
    username: '',
    name: '',
    role: 'representative' as Role,
    branchId: '',
    password: temporaryPassword(),
  };
  const [form, setForm] = useState(blank);
  const [outcome, setOutcome] = useState<Outcome<UserRow> | null>(null);
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const wide = associationWideRoles.includes(form.role);
  return (
    <form
      class="card form"
      data-testid="new-person"
      onSubmit={(e) => {
        e.preventDefault();
        void api
          .write(
            'POST',
            ADMIN_USERS_PATH,
            { ...form, branchId: wide ? null : form.branchId || null },
            userSchema,
          )
          .then((result) => {
            setOutcome(result);
            if (!result.ok) return;
            setCreated({ username: result.value.username, password: form.password });
            setForm({ ...blank, password: temporaryPassword() });
            onDone();
          });
      }}
    >
      <h3>{t('people.add')}</h3>
      <Field
        label={t('people.username')}
        name="username"
        type="text"
        dir="ltr"
        required
        {...bindField(form, setForm, 'username')}
      />
      <Field
        label={t('people.name')}
        name="name"
        type="text"
        required
        {...bindField(form, setForm, 'name')}
      />
      <PlacementFields
        role={form.role}
        branchId={form.branchId}
        branches={branches}
        onRole={(role) => {
          setForm({ ...form, role });
        }}
        onBranch={(branchId) => {
          setForm({ ...form, branchId });
        }}
      />
      <Field
        label={t('people.password')}
        name="password"
        type="text"
        dir="ltr"
        required
        {...bindField(form, setForm, 'password')}
      />
      <p class="hint">{t('people.passwordHint')}</p>
      <button type="submit" class="button">
        {t('console.add')}
      </button>
      <Refusal outcome={outcome} />
      {created !== null && (
        <p class="notice" role="status" data-testid="person-created">
          {t('people.created', created)}
        </p>
      )}
    </form>
  );
}

/** Several people at once from a CSV file: each line is created on its own, and each refusal is listed. */
function BulkPeople({ branches, onDone }: { branches: readonly BranchRow[]; onDone: () => void }) {
  const t = useConsoleT();
  const api = useAdminApi();
  const [report, setReport] = useState<{ done: number; total: number; lines: string[] } | null>(null);
  const load = async (file: File) => {
    const parsed = Papa.parse<Record<string, string>>(await file.text(), {
      header: true,
      skipEmptyLines: true,
      transformHeader: (h) => h.trim().toLowerCase(),
    });
    const lines: string[] = [];
    let done = 0;
    for (const [i, row] of parsed.data.entries()) {
      const role = roles.find((r) => r === row.role?.trim());
      const branch = branches.find((b) => b.code === row.branch?.trim());
      const password = row.password?.trim() || temporaryPassword();
      const result = await api.write(
        'POST',
        ADMIN_USERS_PATH,
        {
          username: row.username?.trim() ?? '',
          name: row.name?.trim() ?? '',
          role: role ?? row.role,
          branchId: branch?.id ?? null,
          password,
        },
        userSchema,
      );
      if (result.ok) {
        done += 1;
        // Each temporary password is shown once, here, for the administrator to hand over in person.
        lines.push(t('people.bulkCreated', { username: result.value.username, password }));
      } else lines.push(t('people.bulkLine', { line: i + 2, message: result.message }));
    }
    setReport({ done, total: parsed.data.length, lines });
    onDone();
  };
  return (
    <section class="card form" data-testid="bulk-people">
      <h3>{t('people.bulk')}</h3>
      <p class="hint">{t('people.bulkHint')}</p>
      <label class="field">
        <span>{t('people.bulkFile')}</span>
        <input
          type="file"
          name="people-csv"
          accept=".csv,text/csv"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file !== undefined) void load(file);
          }}
        />
      </label>
      {report !== null && (
        <div role="status">
          <p>{t('people.bulkResult', { done: report.done, total: report.total })}</p>
          <ul>
            {report.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function PersonRow({
  user,
  branches,
  onChange,
  onReset,
  self,
}: {
  user: UserRow;
  branches: readonly BranchRow[];
  onChange: () => void;
  /** A new temporary password was set: the panel shows it (the row is drawn again meanwhile). */
  onReset: (username: string, password: string) => void;
  /** The administrator's own row: no disabling, resetting or changing their own role here. */
  self: boolean;
}) {
  const t = useConsoleT();
  const common = useT();
  const lang = useLang();
  const api = useAdminApi();
  const [mode, setMode] = useState<'view' | 'edit' | 'disable'>('view');
  const [edit, setEdit] = useState({ name: user.name, role: user.role, branchId: user.branchId ?? '' });
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<Outcome<UserRow> | null>(null);
  const path = `${ADMIN_USERS_PATH}/${user.id}`;
  const finish = (result: Outcome<UserRow>) => {
    setOutcome(result);
    if (result.ok) {
      setMode('view');
      onChange();
    }
  };
  const branch = branches.find((b) => b.id === user.branchId);
  return (
    <li
      class="card"
      data-testid="person"
      data-username={user.username}
      data-disabled={user.disabledAt !== null}
    >
      <p>
        <strong dir="auto">{user.name}</strong> · <bdi dir="ltr">{user.username}</bdi> ·{' '}
        {common(`role.${user.role}`)}
        {branch !== undefined && <> · {lang === 'ar' ? branch.nameAr : branch.nameEn}</>}
      </p>
      <p class="muted">
        {user.disabledAt !== null
          ? t('people.disabled', { reason: user.disabledReason ?? '' })
          : user.mustChangePassword
            ? t('people.mustChange')
            : t('people.active')}
      </p>
      {mode === 'edit' && (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            const wide = associationWideRoles.includes(edit.role);
            void api
              .write('PATCH', path, { ...edit, branchId: wide ? null : edit.branchId || null }, userSchema)
              .then(finish);
          }}
        >
          <Field label={t('people.name')} name="name" type="text" {...bindField(edit, setEdit, 'name')} />
          <PlacementFields
            role={edit.role}
            branchId={edit.branchId}
            branches={branches}
            onRole={(role) => {
              setEdit({ ...edit, role });
            }}
            onBranch={(branchId) => {
              setEdit({ ...edit, branchId });
            }}
          />
          <FormActions
            onCancel={() => {
              setMode('view');
            }}
          />
        </form>
      )}
      {mode === 'disable' && (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void api.write('POST', `${path}/disable`, { reason: reason.trim() }, userSchema).then(finish);
          }}
        >
          <Field
            label={t('people.disableReason')}
            name="reason"
            type="text"
            required
            value={reason}
            onInput={setReason}
          />
          <p class="hint">{t('people.disableHint')}</p>
          <FormActions
            submit={t('people.disable')}
            danger
            disabled={reason.trim() === ''}
            onCancel={() => {
              setMode('view');
            }}
          />
        </form>
      )}
      {mode === 'view' && (
        <div class="actions">
          <button
            type="button"
            class="button button--ghost"
            onClick={() => {
              setMode('edit');
            }}
          >
            {t('console.edit')}
          </button>
          {self ? null : user.disabledAt === null ? (
            <button
              type="button"
              class="button button--ghost"
              data-action="disable"
              onClick={() => {
                setMode('disable');
              }}
            >
              {t('people.disable')}
            </button>
          ) : (
            <button
              type="button"
              class="button button--ghost"
              onClick={() => {
                void api.write('POST', `${path}/enable`, {}, userSchema).then(finish);
              }}
            >
              {t('people.enable')}
            </button>
          )}
          {/* One's own password is changed, not reset (the change-password screen). */}
          {!self && (
            <button
              type="button"
              class="button button--ghost"
              data-action="reset"
              onClick={() => {
                const password = temporaryPassword();
                void api.write('POST', `${path}/reset-password`, { password }, userSchema).then((result) => {
                  if (result.ok) onReset(user.username, password);
                  finish(result);
                });
              }}
            >
              {t('people.reset')}
            </button>
          )}
        </div>
      )}
      <Refusal outcome={outcome} />
    </li>
  );
}

export function PeoplePanel({ branches }: { branches: readonly BranchRow[] }) {
  const t = useConsoleT();
  const api = useAdminApi();
  const [users, setUsers] = useState<readonly UserRow[] | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const { session } = useAppState();
  const me = useStore(session.store, (s) => s.profile?.user.id);
  useEffect(() => {
    void api.read(ADMIN_USERS_PATH, usersResponseSchema).then((result) => {
      if (result.ok) setUsers(result.value.users);
    });
  }, [attempt]);
  const reload = () => {
    setAttempt((n) => n + 1);
  };
  return (
    <section data-testid="people">
      {/* The staff first: what an administrator comes to look at; adding someone opens on demand. */}
      {notice !== null && (
        <p class="notice" role="status" data-testid="people-notice">
          {notice}
        </p>
      )}
      {users === null ? (
        <p class="hint">…</p>
      ) : (
        <ul class="plain">
          {users.map((u) => (
            <PersonRow
              key={`${u.id}:${u.role}:${u.name}:${String(u.branchId)}:${String(u.disabledAt)}`}
              user={u}
              branches={branches}
              onChange={reload}
              self={u.id === me}
              onReset={(username, password) => {
                setNotice(t('people.resetDone', { username, password }));
              }}
            />
          ))}
        </ul>
      )}
      <details class="card">
        <summary data-testid="add-person">{t('people.add')}</summary>
        <NewPerson branches={branches} onDone={reload} />
        <BulkPeople branches={branches} onDone={reload} />
      </details>
    </section>
  );
}
