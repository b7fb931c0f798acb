// C-PROC-4 / K-PROC-d: the beneficiary confirms the data of their request and signs it. The signature is
// bound to a hash of exactly the data declared, in one canonical form (object keys sorted, no whitespace),
// computed from the records as they are stored — on the device at signing, and on the server or anywhere
// later — so that any change after signing shows (the machine refuses a stale declaration at submission).
//
// Declared: the beneficiary's record (without its sensitive fields, which not every role may see, its
// consent and the next visit planned, which are not data the beneficiary gives), their household members
// (by id), and the request's service and the items provided for it.

type Data = Readonly<Record<string, unknown>>;

/** Fields of the beneficiary's record that are not part of what they declare. */
const notDeclared = new Set(['sensitive', 'consent', 'nextVisitOn']);

/** JSON with object keys sorted at every level, so equal data always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Data)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface DeclaredInput {
  beneficiary: Data;
  members: readonly { id: string; data: Data }[];
  request: { serviceTypeId: string | null; providedItems: readonly string[] };
}

/** The text whose SHA-256 a declaration carries. */
export function declaredData({ beneficiary, members, request }: DeclaredInput): string {
  const person = Object.fromEntries(Object.entries(beneficiary).filter(([field]) => !notDeclared.has(field)));
  return canonicalJson({
    beneficiary: person,
    household: [...members].sort((a, b) => (a.id < b.id ? -1 : 1)).map((m) => ({ id: m.id, ...m.data })),
    request: { serviceTypeId: request.serviceTypeId, providedItems: [...request.providedItems].sort() },
  });
}
