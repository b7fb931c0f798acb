// Staff sign-off (K-RESP, K-REL-d), under the policy's text in the library: the member of staff reads the
// current version and signs that they will follow it. Signed once per version; a new version asks again.
import { useState } from 'preact/hooks';
import { signedAt, signPolicy } from '../../state/sign-off';
import { useLive } from '../../state/use-live';
import { useWorkspace } from '../context';
import { useLibraryT } from '../i18n/library';
import { SignaturePad } from './SignaturePad';

export function SignOff({ userId, version }: { userId: string; version: string }) {
  const t = useLibraryT();
  const { records } = useWorkspace();
  const signed = useLive(
    () => signedAt(records, userId, version),
    [userId, version],
    undefined as string | null | undefined,
  );
  const [agreed, setAgreed] = useState(false);
  const [png, setPng] = useState<Blob | null>(null);
  const [busy, setBusy] = useState(false);
  if (signed === undefined) return null;
  return (
    <section class="card" data-testid="sign-off" data-signed={signed !== null}>
      <h2>{t('signoff.title')}</h2>
      {signed !== null ? (
        <p role="status">{t('signoff.signed', { version, date: signed.slice(0, 10) })}</p>
      ) : (
        <div class="form">
          <p class="hint">{t('signoff.needed', { version })}</p>
          <label class="check">
            <input
              type="checkbox"
              name="agreed"
              checked={agreed}
              onChange={(e) => {
                setAgreed(e.currentTarget.checked);
              }}
            />{' '}
            {t('signoff.statement')}
          </label>
          <SignaturePad onChange={setPng} />
          <button
            type="button"
            class="button"
            data-testid="sign-policy"
            disabled={!agreed || png === null || busy}
            onClick={() => {
              if (png === null) return;
              setBusy(true);
              void png
                .arrayBuffer()
                .then((signature) =>
                  signPolicy(
                    records,
                    { userId, version, signature },
                    { now: () => Date.now(), newId: () => crypto.randomUUID() },
                  ),
                )
                .finally(() => {
                  setBusy(false);
                });
            }}
          >
            {t('signoff.sign')}
          </button>
        </div>
      )}
    </section>
  );
}
