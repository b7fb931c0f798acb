import { useState } from 'preact/hooks';
import type { LoginFailure } from '../../state/session';
import { useStore } from '../../state/use-store';
import { useAppState, useT } from '../context';
import type { Translate } from '../i18n/i18n';

function failureText(t: Translate, failure: LoginFailure): string {
  switch (failure.kind) {
    case 'invalidCredentials':
      return t('login.error.invalidCredentials');
    case 'tooManyAttempts':
      return t('login.error.tooManyAttempts', { minutes: Math.ceil(failure.retryAfterSeconds / 60) });
    case 'deviceRevoked':
      return t('login.error.deviceRevoked');
    case 'offline':
      return t('login.error.offline');
    case 'other':
      return t('login.error.other', { message: failure.message });
  }
}

export function LoginScreen() {
  const t = useT();
  const { session, serverInfo } = useAppState();
  const { busy, loginFailure } = useStore(session.store, (s) => s);
  const demo = useStore(serverInfo.store, (s) => s.demo);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  return (
    <main class="page page--narrow">
      <h1>{t('login.title')}</h1>
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
        <label class="field">
          <span>{t('login.password')}</span>
          <input
            name="password"
            type="password"
            dir="ltr"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => {
              setPassword(e.currentTarget.value);
            }}
          />
        </label>
        {loginFailure !== null && (
          <p class="error" role="alert" data-testid="login-error" data-kind={loginFailure.kind}>
            {failureText(t, loginFailure)}
          </p>
        )}
        <button type="submit" class="button" disabled={busy}>
          {t(busy ? 'login.submitting' : 'login.submit')}
        </button>
      </form>
      {demo && <p class="hint">{t('login.demoHint')}</p>}
    </main>
  );
}
