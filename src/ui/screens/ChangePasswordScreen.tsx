// The first thing after signing in with a temporary password (a new account, or one the administrator
// reset): the user's own password. Its own chunk, with its own messages: most sign-ins never need it.
import { useState } from 'preact/hooks';
import { MIN_PASSWORD_LENGTH } from '../../protocol/admin';
import { ApiError } from '../../sync/api-client';
import { useAppState, useDigits, useLang } from '../context';
import { catalogueT } from '../i18n/i18n';

const ar = {
  'password.title': 'غيّر كلمة المرور المؤقتة',
  'password.hint': 'أعطاك مدير الجمعية كلمة مرور مؤقتة. اختر كلمة مرورك (8 أحرف على الأقل) قبل أن تبدأ.',
  'password.current': 'كلمة المرور المؤقتة',
  'password.new': 'كلمة المرور الجديدة',
  'password.repeat': 'أعد كتابتها',
  'password.submit': 'حفظ كلمة المرور',
  'password.mismatch': 'الكلمتان غير متطابقتين.',
  'password.short': '8 أحرف على الأقل.',
  'password.failed': 'تعذّر التغيير: {message}',
  'password.wrongCurrent': 'كلمة المرور المؤقتة غير صحيحة.',
};
const en: Record<keyof typeof ar, string> = {
  'password.title': 'Change your temporary password',
  'password.hint':
    "The association's administrator gave you a temporary password. Choose your own (at least 8 characters) before you start.",
  'password.current': 'Temporary password',
  'password.new': 'New password',
  'password.repeat': 'Type it again',
  'password.submit': 'Save the password',
  'password.mismatch': 'The two do not match.',
  'password.short': 'At least 8 characters.',
  'password.failed': 'Could not change it: {message}',
  'password.wrongCurrent': 'The temporary password is wrong.',
};
export const passwordMessages = { ar, en };

function usePasswordT() {
  const catalogue: Record<keyof typeof ar, string> = passwordMessages[useLang()];
  return catalogueT(catalogue, useDigits());
}

/**
 * A temporary password (a new account, a reset) is replaced before anything else; the device's keys are
 * wrapped again under the new one, so what is sealed here opens with it.
 */
export function ChangePasswordScreen() {
  const t = usePasswordT();
  const { session, workspace } = useAppState();
  const [form, setForm] = useState({ current: '', next: '', repeat: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: keyof typeof form, label: string, autocomplete: string) => (
    <label class="field">
      <span>{label}</span>
      <input
        name={name}
        type="password"
        dir="ltr"
        autocomplete={autocomplete}
        required
        value={form[name]}
        onInput={(e) => {
          setForm({ ...form, [name]: e.currentTarget.value });
        }}
      />
    </label>
  );
  return (
    <main class="page page--narrow" data-testid="change-password">
      <h1>{t('password.title')}</h1>
      <p>{t('password.hint')}</p>
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          const problem =
            form.next.length < MIN_PASSWORD_LENGTH
              ? t('password.short')
              : form.next !== form.repeat
                ? t('password.mismatch')
                : null;
          if (problem !== null) {
            setError(problem);
            return;
          }
          setBusy(true);
          setError(null);
          session.changePassword(form.current, form.next).then(
            () => {
              setBusy(false);
              // The server refused to sync until now: the first sync starts here.
              void workspace
                .getState()
                .current?.sync.requestSync()
                // A sync that fails is shown by the sync indicator.
                .catch(() => undefined);
            },
            (failure: unknown) => {
              setBusy(false);
              setError(
                failure instanceof ApiError && failure.code === 'invalid_credentials'
                  ? t('password.wrongCurrent')
                  : t('password.failed', {
                      message: failure instanceof Error ? failure.message : String(failure),
                    }),
              );
            },
          );
        }}
      >
        {field('current', t('password.current'), 'current-password')}
        {field('next', t('password.new'), 'new-password')}
        {field('repeat', t('password.repeat'), 'new-password')}
        {error !== null && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button" disabled={busy}>
          {t('password.submit')}
        </button>
      </form>
    </main>
  );
}
