// A beneficiary's documents: photographed with the camera (or picked from the gallery), compressed on the
// device, kept offline, and sent once when there is a network. Each shows whether it has been sent.
import { useEffect, useState } from 'preact/hooks';
import type { FileEntry, LocalRecord } from '../../db/database';
import type { AttachmentMimeType } from '../../protocol/attachments';
import { useLive } from '../../state/use-live';
import { useT, useWorkspace } from '../context';
import { textOf } from '../text';

export function Documents({ beneficiaryId }: { beneficiaryId: string }) {
  const t = useT();
  const { records, files } = useWorkspace();
  const attachments = useLive(
    async () =>
      (await records.listOf('attachment', beneficiaryId)).filter((r) => r.data?.kind === 'document'),
    [beneficiaryId],
    [] as LocalRecord[],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function add(file: File) {
    setBusy(true);
    setError(null);
    try {
      const { compressPhoto, PhotoTooLargeError } = await import('../media/compress');
      try {
        const photo = await compressPhoto(file);
        await files.attach({
          data: await photo.arrayBuffer(),
          mimeType: 'image/jpeg',
          kind: 'document',
          beneficiaryId,
          caseId: null,
          requirementId: null,
        });
      } catch (err) {
        setError(t(err instanceof PhotoTooLargeError ? 'documents.tooLarge' : 'documents.unreadable'));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section data-testid="documents">
      <h2>{t('documents.title')}</h2>
      {attachments.length === 0 ? (
        <p class="hint">{t('documents.none')}</p>
      ) : (
        <ul class="plain thumbs">
          {attachments.map((a) => (
            <DocumentThumb
              key={a.key}
              sha256={textOf(a.data?.sha256)}
              mimeType={textOf(a.data?.mimeType) as AttachmentMimeType}
            />
          ))}
        </ul>
      )}
      <label class={`button${busy ? ' button--busy' : ''}`}>
        {busy ? t('documents.compressing') : t('documents.add')}
        <input
          type="file"
          accept="image/*"
          capture="environment"
          class="visually-hidden"
          data-testid="document-input"
          disabled={busy}
          onChange={(e) => {
            const input = e.currentTarget;
            const file = input.files?.[0];
            input.value = '';
            if (file !== undefined) void add(file);
          }}
        />
      </label>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function DocumentThumb({ sha256, mimeType }: { sha256: string; mimeType: AttachmentMimeType }) {
  const t = useT();
  const { files } = useWorkspace();
  const file = useLive(() => files.get(sha256), [sha256], undefined as FileEntry | undefined);
  const [url, setUrl] = useState<string | null>(null);
  const have = file !== undefined;
  useEffect(() => {
    if (file === undefined) return undefined;
    // The bytes are sealed on the device: opened for as long as the thumbnail is shown.
    let objectUrl: string | null = null;
    let shown = true;
    void files.read(sha256).then((opened) => {
      if (!shown || opened === undefined) return;
      objectUrl = URL.createObjectURL(new Blob([opened.data], { type: opened.entry.mimeType }));
      setUrl(objectUrl);
    });
    return () => {
      shown = false;
      if (objectUrl !== null) URL.revokeObjectURL(objectUrl);
    };
  }, [sha256, have]);
  // Someone else's upload, not on this device yet: fetch it (and keep it) when there is a network.
  useEffect(() => {
    // Not fetched (offline, or the server does not hold it yet): the document says it is not on this
    // device, and the next visit online fetches it again.
    if (!have && navigator.onLine) void files.fetch(sha256, mimeType).catch(() => undefined);
  }, [sha256, have]);
  const [open, setOpen] = useState(false);
  const state = file?.state ?? 'remote';
  return (
    <li
      class={`card thumb${open ? ' thumb--open' : ''}`}
      data-testid="document"
      data-sha256={sha256}
      data-state={state}
    >
      {url !== null && (
        <button
          type="button"
          aria-expanded={open}
          onClick={() => {
            setOpen(!open);
          }}
        >
          <img src={url} alt={t('documents.photo')} />
        </button>
      )}
      <span class="hint">
        {t(
          state === 'pending'
            ? 'documents.pending'
            : state === 'remote'
              ? 'documents.notHere'
              : 'documents.sent',
        )}
      </span>
      {file?.lastError !== null && file?.lastError !== undefined && (
        <span class="error">{t('documents.failed')}</span>
      )}
    </li>
  );
}
