import type { MeResponse } from '../../protocol/auth';
import { useAppState, useLang, useT } from '../context';
import { InstallPrompt } from '../components/Banners';
import { PasskeyCard } from '../components/PasskeyCard';
import { useEffect } from 'preact/hooks';
import { reportFailure } from '../../state/error-report';
import { sectionPath, sectionTitle, sectionsByRole } from '../navigation';

/** The home screen: who and where the user is, and the sections their role works in. */
export function HomeScreen({ profile }: { profile: MeResponse }) {
  const t = useT();
  const lang = useLang();
  const { router } = useAppState();
  const { user, branch } = profile;
  const branchName = branch === null ? t('home.allBranches') : lang === 'ar' ? branch.nameAr : branch.nameEn;
  // A new request is the representative's main job: its screen's code loads once the home screen is shown.
  const takesRequests = sectionsByRole[user.role].includes('request');
  useEffect(() => {
    if (!takesRequests) return undefined;
    const timer = setTimeout(() => {
      reportFailure(import('./StartRequestScreen'), 'start-request-screen');
    }, 300);
    return () => {
      clearTimeout(timer);
    };
  }, [takesRequests]);
  return (
    <main class="page">
      <section class="card welcome">
        <h1>{t('home.greeting', { name: user.name })}</h1>
        <p>
          <span data-testid="role">{t(`role.${user.role}`)}</span> ·{' '}
          <span>{t('home.branch', { branch: branchName })}</span>
        </p>
        <InstallPrompt />
      </section>
      <nav aria-label={t('home.sections')}>
        <ul class="sections" data-testid="sections">
          {sectionsByRole[user.role].map((id) => (
            <li key={id}>
              <a
                class="section-link"
                href={sectionPath(id)}
                data-section={id}
                onClick={(e) => {
                  e.preventDefault();
                  router.getState().navigate(sectionPath(id));
                }}
              >
                {t(sectionTitle(id))}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <PasskeyCard />
    </main>
  );
}
