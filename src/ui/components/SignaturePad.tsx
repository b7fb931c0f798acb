// The beneficiary signs on the screen with a finger or a stylus (signature_pad, a maintained library).
// The drawing is kept as a PNG; the canvas follows the device's pixel ratio so strokes stay sharp.
import SignaturePadLib from 'signature_pad';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useRequestT } from '../i18n/request';

export interface SignaturePadProps {
  /** Called with the PNG of the signature, or null when the pad is cleared or still empty. */
  onChange: (png: Blob | null) => void;
}

export function SignaturePad({ onChange }: SignaturePadProps) {
  const t = useRequestT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePadLib | null>(null);
  const [empty, setEmpty] = useState(true);

  useEffect(() => {
    const element = canvas.current;
    // No 2D canvas (a hardened browser, or the test DOM): nothing can be drawn, and nothing is offered.
    if (element === null || element.getContext('2d') === null) return undefined;
    const signature = new SignaturePadLib(element, { penColor: '#10213a', minWidth: 0.8, maxWidth: 2.6 });
    pad.current = signature;
    const fit = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const data = signature.toData();
      element.width = element.offsetWidth * ratio;
      element.height = element.offsetHeight * ratio;
      element.getContext('2d')?.scale(ratio, ratio);
      signature.fromData(data);
    };
    fit();
    const report = () => {
      setEmpty(signature.isEmpty());
      if (signature.isEmpty()) onChange(null);
      else
        element.toBlob((png) => {
          onChange(png);
        }, 'image/png');
    };
    signature.addEventListener('endStroke', report);
    window.addEventListener('resize', fit);
    return () => {
      signature.removeEventListener('endStroke', report);
      window.removeEventListener('resize', fit);
      signature.off();
    };
  }, []);

  return (
    <div class="signature">
      <canvas
        ref={canvas}
        class="signature__pad"
        data-testid="signature-pad"
        role="img"
        aria-label={t('intake.signatureArea')}
      />
      <button
        type="button"
        class="button button--ghost button--small"
        disabled={empty}
        onClick={() => {
          pad.current?.clear();
          setEmpty(true);
          onChange(null);
        }}
      >
        {t('intake.clearSignature')}
      </button>
    </div>
  );
}
