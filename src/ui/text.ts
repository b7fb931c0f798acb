// Reading fields of synced records (typed `unknown`) for display.

/** The value if it is a string, else an empty string. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
