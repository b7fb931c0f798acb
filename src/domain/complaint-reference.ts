// A complaint's reference number (K-CMPL-a): what the complainant keeps to ask where it stands. Ten random
// characters (50 bits) from 32 that are not mistaken for one another (no 0/O, no 1/I), so it is read out
// over the phone without mistakes and cannot be guessed; the association's prefix says whose it is.
const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The prefix of an association's references: the first letters of its code, upper-case (2–4). */
export function referencePrefix(associationCode: string): string {
  const letters = associationCode.replace(/[^a-z]/gi, '').toUpperCase();
  return (letters.length <= 4 ? letters : letters.slice(0, 3)).padEnd(2, 'X');
}

/** A new reference, from `random(n)` (n random bytes: crypto.getRandomValues in the app and the server). */
export function complaintReference(associationCode: string, random: (n: number) => Uint8Array): string {
  // 256 is a multiple of 32: every character is equally likely.
  const body = Array.from(random(10), (b) => alphabet.charAt(b % alphabet.length)).join('');
  return `${referencePrefix(associationCode)}-${body}`;
}
