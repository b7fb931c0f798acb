import { useState } from 'preact/hooks';
import type { LoginFailure } from '../../state/session';
import { useStore } from '../../state/use-store';
import { useAppState, useT } from '../context';
import type { Translate } from '../i18n/i18n';

function failureText(t: Translate, failure: LoginFailure): string {
  switch (failure.kind) {
    case 'invalidCredentials':
      return failure.attemptsLeft !== null && failure.attemptsLeft <= 3
        ? t('login.error.attemptsLeft', { count: failure.attemptsLeft })
        : t('login.error.invalidCredentials');
    case 'erased':
      return t('login.error.erased');
    case 'tooManyAttempts':
      return t('login.error.tooManyAttempts', { minutes: Math.ceil(failure.retryAfterSeconds / 60) });
    case 'deviceRevoked':
      return t('login.error.deviceRevoked');
    case 'accountDisabled':
      return t('login.error.accountDisabled');
    case 'offline':
      return t('login.error.offline');
    case 'passkey':
      return t('login.error.passkey');
    case 'other':
      return t('login.error.other', { message: failure.message });
  }
}

/** The password field, and why the last attempt failed: the same on the sign-in and lock screens. */
function PasswordAndFailure(props: {
  password: string;
  setPassword: (value: string) => void;
  failure: LoginFailure | null;
}) {
  const t = useT();
  return (
    <>
      <label class="field">
        <span>{t('login.password')}</span>
        <input
          name="password"
          type="password"
          dir="ltr"
          autocomplete="current-password"
          required
          value={props.password}
          onInput={(e) => {
            props.setPassword(e.currentTarget.value);
          }}
        />
      </label>
      {props.failure !== null && (
        <p class="error" role="alert" data-testid="login-error" data-kind={props.failure.kind}>
          {failureText(t, props.failure)}
        </p>
      )}
    </>
  );
}

export function LoginScreen() {
  const t = useT();
  const { session, serverInfo } = useAppState();
  const { busy, loginFailure, wiped } = useStore(session.store, (s) => s);
  const demo = useStore(serverInfo.store, (s) => s.demo);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  return (
    <main class="page page--narrow">
      <h1>{t('login.title')}</h1>
      {wiped && (
        <p class="notice" role="status" data-testid="wiped">
          {t('login.wiped')}
        </p>
      )}
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void session.login(username, password);
        }}
      >
        <label class="field">
          <span>{t('login.username')}</span>
          <input
            name="username"
            dir="ltr"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            value={username}
            onInput={(e) => {
              setUsername(e.currentTarget.value);
            }}
          />
        </label>
        <PasswordAndFailure password={password} setPassword={setPassword} failure={loginFailure} />
        <button type="submit" class="button" disabled={busy}>
          {t(busy ? 'login.submitting' : 'login.submit')}
        </button>
      </form>
      {demo && <p class="hint">{t('login.demoHint')}</p>}
    </main>
  );
}

/** The locked app: only the password of the user it belongs to opens it (offline too). */
export function LockScreen() {
  const t = useT();
  const { session } = useAppState();
  const { busy, loginFailure, lockedUser } = useStore(session.store, (s) => s);
  const [password, setPassword] = useState('');
  if (lockedUser === null) return null;
  return (
    <main class="page page--narrow" data-testid="lock-screen">
      <h1>{t('lock.title')}</h1>
      <p>
        {t('lock.for')} <strong dir="auto">{lockedUser.name}</strong>{' '}
        <bdi dir="ltr" class="muted">
          {lockedUser.username}
        </bdi>
      </p>
      {lockedUser.passkey && (
        <button
          type="button"
          class="button button--passkey"
          data-testid="unlock-passkey"
          disabled={busy}
          onClick={() => {
            void session.unlockWithPasskey();
          }}
        >
          {t('lock.passkey')}
        </button>
      )}
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void session.unlock(password).then(() => {
            setPassword('');
          });
        }}
      >
        <input name="username" type="hidden" autocomplete="username" value={lockedUser.username} />
        <PasswordAndFailure password={password} setPassword={setPassword} failure={loginFailure} />
        <button type="submit" class="button" disabled={busy}>
          {t(busy ? 'lock.unlocking' : 'lock.unlock')}
        </button>
      </form>
      <button
        type="button"
        class="button button--ghost"
        onClick={() => {
          session.switchUser();
        }}
      >
        {t('lock.otherUser')}
      </button>
    </main>
  );
}
