// The reference library (C-TOOL-1..3, K-TOOL-a..f; the staff's sign-off, K-RESP): the association's policy
// for its relationship with beneficiaries, in full and in its own words, readable offline (each text is a
// chunk the service worker precaches), and the tools the policy names — the intake form is the app itself;
// a reference document the association has not provided yet is said to be missing, not pretended.
import { useEffect, useState } from 'preact/hooks';
import { followUpUnit } from '../../domain/permissions';
import type { LibraryFile } from '../../domain/profiles/profile';
import { useStore } from '../../state/use-store';
import { useAppState, useLang, useT } from '../context';
import { useLibraryT } from '../i18n/library';
import { ChangeNotice } from '../components/ChangeNotice';
import { SignOff } from '../components/SignOff';
import { useProfile } from '../use-profile';
import { useWorkspace } from '../context';

/** The policy texts, one lazily loaded chunk each, by file name. */
const texts = import.meta.glob<string>('../../domain/profiles/texts/*.txt', {
  query: '?raw',
  import: 'default',
});

function textLoader(source: string) {
  const file = source.slice(source.lastIndexOf('/') + 1);
  return texts[`../../domain/profiles/texts/${file}`];
}

/** A heading of the text: a chapter (الفصل), an article (مادة), or a short line naming a usual part. */
const isHeading = (line: string) =>
  line.length <= 60 &&
  /^(الفصل|مادة|المادة|تمهيد|الهدف|الأهداف|نطاق|قنوات|آلية|إجراءات|أدوات|التعريفات|قياس|مسؤول)/.test(line) &&
  !/[.،:؛]$/.test(line);

/**
 * One of the association's own documents: kept on this device once opened (or fetched after a sync), so
 * that it opens offline too.
 */
function LibraryDocument({ file }: { file: LibraryFile }) {
  const t = useLibraryT();
  const { files } = useWorkspace();
  const [state, setState] = useState<'idle' | 'opening' | 'unavailable'>('idle');
  const open = async () => {
    setState('opening');
    const kept =
      (await files.read(file.sha256)) ??
      (await files
        .fetch(file.sha256, file.mimeType)
        .then(() => files.read(file.sha256))
        // Not fetched: said just below as "not available on this device yet".
        .catch(() => undefined));
    if (kept === undefined) {
      setState('unavailable');
      return;
    }
    const url = URL.createObjectURL(new Blob([kept.data], { type: file.mimeType }));
    window.open(url, '_blank', 'noopener');
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 60_000);
    setState('idle');
  };
  return (
    <p>
      <button
        type="button"
        class="button button--ghost"
        data-testid="library-document"
        onClick={() => void open()}
        disabled={state === 'opening'}
      >
        {t('library.open')} <bdi dir="auto">{file.fileName}</bdi>
      </button>
      {state === 'unavailable' && <span class="error"> {t('library.unavailable')}</span>}
    </p>
  );
}

export function LibraryScreen() {
  const t = useLibraryT();
  const common = useT();
  const lang = useLang();
  const { session } = useAppState();
  const userId = useStore(session.store, (s) => s.profile?.user.id ?? '');
  const role = useStore(session.store, (s) => s.profile?.user.role);
  const profile = useProfile();
  const [text, setText] = useState<string | null>(null);
  const source = profile?.policy.source;
  useEffect(() => {
    const load = source === undefined ? undefined : textLoader(source);
    if (load !== undefined) void load().then(setText);
  }, [source]);
  if (profile === undefined) return <main class="page">…</main>;
  const paragraphs = (text ?? '')
    .split(/\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return (
    <main class="page" data-testid="library">
      <h1>{common('section.policy')}</h1>
      <section class="card">
        <h2>{t('library.tools')}</h2>
        <ul class="plain" data-testid="tools">
          {profile.tools.map((tool) => (
            <li key={tool.id} data-tool={tool.id}>
              <strong>{tool.label[lang]}</strong>
              {tool.document !== undefined ? (
                <LibraryDocument file={tool.document} />
              ) : (
                <p class="hint">{t(tool.kind === 'form' ? 'library.form' : 'library.notProvided')}</p>
              )}
            </li>
          ))}
        </ul>
      </section>
      {source !== undefined && (
        <article class="card policy-text" lang="ar" dir="rtl" data-testid="policy-text">
          <h2>{profile.policy.title.ar}</h2>
          <p class="muted">
            {profile.name.ar} · {t('library.version')} <bdi dir="ltr">{profile.policy.version}</bdi>
            {profile.policy.approval !== null && <> · {profile.policy.approval.meeting}</>}
          </p>
          {text === null ? (
            <p>…</p>
          ) : (
            paragraphs.map((line, i) => (isHeading(line) ? <h3 key={i}>{line}</h3> : <p key={i}>{line}</p>))
          )}
        </article>
      )}
      {role !== undefined && followUpUnit.includes(role) && (
        <ChangeNotice profile={profile} actor={{ id: userId, role }} />
      )}
      {profile.chapters.staffSignOff && userId !== '' && (
        <SignOff userId={userId} version={profile.policy.version} />
      )}
    </main>
  );
}
