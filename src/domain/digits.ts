// Digits as people type them in Saudi Arabia: Western (0-9), Arabic-Indic (٠-٩) or Eastern Arabic-Indic (۰-۹).

const ARABIC_INDIC_ZERO = 0x0660;
const EASTERN_ARABIC_INDIC_ZERO = 0x06f0;

/** Replaces Arabic-Indic and Eastern Arabic-Indic digits with 0-9; everything else is left as it is. */
export function normalizeDigits(input: string): string {
  return input.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    const zero = code >= EASTERN_ARABIC_INDIC_ZERO ? EASTERN_ARABIC_INDIC_ZERO : ARABIC_INDIC_ZERO;
    return String(code - zero);
  });
}

/** Writes 0-9 as Arabic-Indic digits (٠-٩), for users who prefer them. */
export function toArabicIndicDigits(input: string): string {
  return input.replace(/[0-9]/g, (d) => String.fromCharCode(ARABIC_INDIC_ZERO + Number(d)));
}
