// The association's library (C-TOOL, K-TOOL): its forms and guides, uploaded by the administrator as PDF or
// image files. A file is stored by its hash, like an attachment; naming it in the profile is a new version,
// and every member of staff's device then keeps it for offline reading.
import { useEffect, useState } from 'preact/hooks';
import * as z from 'zod/mini';
import type { PolicyProfile } from '../../../domain/profiles/profile';
import { ADMIN_PROFILE_PATH, PROFILE_PATH } from '../../../protocol/admin';
import { attachmentMimeTypes, MAX_ATTACHMENT_BYTES } from '../../../protocol/attachments';
import { versionedProfileSchema, type VersionedProfileBody } from '../../../protocol/profile';
import { bindField, Field, SelectField } from '../../components/Field';
import { useLang, useWorkspace } from '../../context';
import { useConsoleT } from '../../i18n/console';
import { useAdminApi, type Outcome } from './use-admin-api';

const savedSchema = z.object({ version: z.number() });

export function LibraryPanel() {
  const t = useConsoleT();
  const lang = useLang();
  const api = useAdminApi();
  const { files } = useWorkspace();
  const [current, setCurrent] = useState<VersionedProfileBody | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome<{ version: number }> | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [newTool, setNewTool] = useState({ ar: '', en: '', kind: 'reference' as 'reference' | 'form' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    void api.read(PROFILE_PATH, versionedProfileSchema).then((result) => {
      if (result.ok) setCurrent(result.value);
    });
  }, [attempt]);
  if (current === null) return <p class="hint">…</p>;

  const saveTools = async (tools: PolicyProfile['tools']) => {
    const result = await api.write(
      'PUT',
      ADMIN_PROFILE_PATH,
      { baseVersion: current.version, profile: { ...current.profile, tools } },
      savedSchema,
    );
    setOutcome(result);
    setAttempt((n) => n + 1);
    return result;
  };

  const upload = async (toolId: string, file: File) => {
    setMessage(null);
    const mimeType = attachmentMimeTypes.find((m) => m === file.type);
    if (mimeType === undefined) {
      setMessage(t('library.badType'));
      return;
    }
    if (file.size > MAX_ATTACHMENT_BYTES) {
      setMessage(t('library.tooBig'));
      return;
    }
    setBusy(toolId);
    try {
      const sha256 = await files.upload(mimeType, await file.arrayBuffer());
      const result = await saveTools(
        current.profile.tools.map((tool) =>
          tool.id === toolId
            ? { ...tool, document: { sha256, mimeType, size: file.size, fileName: file.name.slice(0, 200) } }
            : tool,
        ),
      );
      if (result.ok) setMessage(t('library.uploaded', { version: result.value.version }));
    } catch (error) {
      setMessage(t('console.failed', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section data-testid="library-editor">
      <ul class="plain">
        {current.profile.tools.map((tool) => (
          <li key={tool.id} class="card" data-tool={tool.id}>
            <strong>{tool.label[lang]}</strong>{' '}
            <span class="muted">
              {t(tool.kind === 'form' ? 'library.kind.form' : 'library.kind.reference')}
            </span>
            <p class="hint">
              {tool.document === undefined ? (
                t('library.none')
              ) : (
                <>
                  {t('library.current', { name: '' })}
                  <bdi dir="auto">{tool.document.fileName}</bdi>
                </>
              )}
            </p>
            <label class="field">
              <span>{busy === tool.id ? t('library.uploading') : t('library.upload')}</span>
              <input
                type="file"
                name={`upload-${tool.id}`}
                accept="application/pdf,image/jpeg,image/png,image/webp"
                disabled={busy !== null}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  if (file !== undefined) void upload(tool.id, file);
                }}
              />
            </label>
          </li>
        ))}
      </ul>
      {message !== null && (
        <p class="notice" role="status" data-testid="library-message">
          {message}
        </p>
      )}
      {outcome !== null && !outcome.ok && (
        <p class="error" role="alert" data-code={outcome.code}>
          {t('console.failed', { message: outcome.message })}
        </p>
      )}
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          const id = `doc_${String(Date.now() % 1_000_000)}`;
          void saveTools([
            ...current.profile.tools,
            {
              id,
              kind: newTool.kind,
              label: { ar: newTool.ar.trim(), en: newTool.en.trim() || newTool.ar.trim() },
            },
          ]).then((result) => {
            if (result.ok) setNewTool({ ar: '', en: '', kind: 'reference' });
          });
        }}
      >
        <h3>{t('library.addTool')}</h3>
        <Field
          label={t('policy.labelAr')}
          name="tool-ar"
          type="text"
          required
          {...bindField(newTool, setNewTool, 'ar')}
        />
        <Field
          label={t('policy.labelEn')}
          name="tool-en"
          type="text"
          dir="ltr"
          {...bindField(newTool, setNewTool, 'en')}
        />
        <SelectField
          label={t('library.kind.reference')}
          name="tool-kind"
          value={newTool.kind}
          onChange={(kind) => {
            setNewTool({ ...newTool, kind: kind === 'form' ? 'form' : 'reference' });
          }}
          options={[
            { value: 'reference', label: t('library.kind.reference') },
            { value: 'form', label: t('library.kind.form') },
          ]}
        />
        <button type="submit" class="button">
          {t('console.add')}
        </button>
      </form>
    </section>
  );
}
