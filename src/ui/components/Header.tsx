import { useState } from 'preact/hooks';
import { reportFailure } from '../../state/error-report';
import { useStore } from '../../state/use-store';
import { useAppState, useLang, useT } from '../context';
import { loadCatalogue } from '../i18n/i18n';
import { OnlineIndicator } from './OnlineIndicator';
import { SyncIndicator } from './SyncIndicator';

/**
 * App bar, one row on a phone: back, the association the user works for, connectivity and sync; the
 * language, lock and sign-out sit behind a menu button on narrow screens and in the row on wider ones.
 */
export function Header() {
  const t = useT();
  const lang = useLang();
  const { session, preferences, router, workspace } = useAppState();
  const profile = useStore(session.store, (s) => s.profile);
  const open = useStore(workspace, (s) => s.current !== null);
  const path = useStore(router, (s) => s.path);
  const [menu, setMenu] = useState(false);
  const association =
    profile === null ? null : lang === 'ar' ? profile.association.nameAr : profile.association.nameEn;
  const close = () => {
    setMenu(false);
  };
  return (
    <header
      class="header"
      onKeyDown={(e) => {
        // Escape closes the menu, and the focus goes back to its button.
        if (e.key !== 'Escape' || !menu) return;
        setMenu(false);
        e.currentTarget.querySelector<HTMLButtonElement>('.header__menu-button')?.focus();
      }}
    >
      {path !== '/' && profile !== null && (
        <button
          type="button"
          class="header__back"
          data-testid="back"
          aria-label={t('back')}
          title={t('back')}
          onClick={() => {
            router.getState().back();
          }}
        >
          {/* The arrow points where the reading came from: right in Arabic, left in English. */}
          <span aria-hidden="true">{lang === 'ar' ? '→' : '←'}</span>
        </button>
      )}
      <a
        class="header__brand"
        href="/"
        aria-label={t('app.name')}
        onClick={(e) => {
          e.preventDefault();
          router.getState().navigate('/');
        }}
      >
        <img src="/icons/icon.svg" alt="" width="28" height="28" />
        <span class={association === null ? 'header__name' : 'header__name header__name--wide'}>
          {t('app.name')}
        </span>
      </a>
      {association !== null && (
        <span class="header__association" data-testid="association-name" title={association}>
          {association}
        </span>
      )}
      <span class="header__status">
        <OnlineIndicator />
        {profile !== null && open && <SyncIndicator />}
      </span>
      <button
        type="button"
        class="header__menu-button"
        aria-expanded={menu}
        aria-controls="header-tools"
        aria-label={t('header.menu')}
        data-testid="header-menu"
        onClick={() => {
          setMenu(!menu);
        }}
      >
        <span aria-hidden="true">⋮</span>
      </button>
      <span id="header-tools" class={menu ? 'header__tools header__tools--open' : 'header__tools'}>
        <button
          type="button"
          class="button button--ghost button--small"
          lang={lang === 'ar' ? 'en' : 'ar'}
          onClick={() => {
            close();
            const next = lang === 'ar' ? 'en' : 'ar';
            reportFailure(
              loadCatalogue(next).then(() => {
                preferences.getState().setLang(next);
              }),
              'language',
            );
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
              close();
              reportFailure(session.lock(), 'lock');
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
              close();
              // Unsent changes are never lost by signing out: they stay, sealed, until this user signs in
              // again. Still, the user is told, since nobody else can send them.
              const sync = workspace.getState().current?.sync.store.getState();
              const unsent = (sync?.pending ?? 0) + (sync?.files ?? 0);
              if (unsent > 0 && !window.confirm(t('logout.unsent', { count: unsent }))) return;
              reportFailure(session.logout(), 'sign-out');
            }}
          >
            {t('logout')}
          </button>
        )}
      </span>
    </header>
  );
}
