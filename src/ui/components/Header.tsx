import { useStore } from '../../state/use-store';
import { useAppState, useLang, useT } from '../context';
import { loadCatalogue } from '../i18n/i18n';
import { OnlineIndicator } from './OnlineIndicator';
import { SyncIndicator } from './SyncIndicator';

/** App bar: the association the user works for, connectivity, language, sign-out. */
export function Header() {
  const t = useT();
  const lang = useLang();
  const { session, preferences, router, workspace } = useAppState();
  const profile = useStore(session.store, (s) => s.profile);
  const open = useStore(workspace, (s) => s.current !== null);
  const association =
    profile === null ? null : lang === 'ar' ? profile.association.nameAr : profile.association.nameEn;
  return (
    <header class="header">
      <a
        class="header__brand"
        href="/"
        onClick={(e) => {
          e.preventDefault();
          router.getState().navigate('/');
        }}
      >
        <img src="/icons/icon.svg" alt="" width="32" height="32" />
        <span class="header__name">{t('app.name')}</span>
      </a>
      {association !== null && (
        <span class="header__association" data-testid="association-name">
          {association}
        </span>
      )}
      <span class="header__tools">
        <OnlineIndicator />
        {profile !== null && open && <SyncIndicator />}
        <button
          type="button"
          class="button button--ghost button--small"
          lang={lang === 'ar' ? 'en' : 'ar'}
          onClick={() => {
            const next = lang === 'ar' ? 'en' : 'ar';
            void loadCatalogue(next).then(() => {
              preferences.getState().setLang(next);
            });
          }}
        >
          {t('lang.switch')}
        </button>
        {profile !== null && (
          <button
            type="button"
            class="button button--ghost button--small"
            data-testid="lock"
            onClick={() => {
              void session.lock();
            }}
          >
            {t('lock.now')}
          </button>
        )}
        {profile !== null && (
          <button
            type="button"
            class="button button--ghost button--small"
            data-testid="logout"
            onClick={() => {
              // Unsent changes are never lost by signing out: they stay, sealed, until this user signs in
              // again. Still, the user is told, since nobody else can send them.
              const sync = workspace.getState().current?.sync.store.getState();
              const unsent = (sync?.pending ?? 0) + (sync?.files ?? 0);
              if (unsent > 0 && !window.confirm(t('logout.unsent', { count: unsent }))) return;
              void session.logout();
            }}
          >
            {t('logout')}
          </button>
        )}
      </span>
    </header>
  );
}
