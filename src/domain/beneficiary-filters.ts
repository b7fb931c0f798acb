// Filters of the beneficiary list: by category, and by whether the registration is complete. Each
// beneficiary carries a filter tag per filter, computed from its own data when it is sealed and stored
// blinded beside it like the search buckets (records-repository.ts), so that a filtered list is read through
// the index instead of opening every file. Tags begin with "!", which no search bucket does.

/** The registration details of issue 6's item 2 beyond the required name, ID and mobile. */
export const fileDetails = ['idExpiry', 'address', 'category', 'preferredChannel', 'consent'] as const;
export type FileDetail = (typeof fileDetails)[number];

const present = (value: unknown): boolean =>
  typeof value === 'string' ? value.trim() !== '' : value !== null && value !== undefined;

/** What a beneficiary's registration still lacks, in the order of the form. */
export function missingDetails(data: Record<string, unknown>): FileDetail[] {
  return fileDetails.filter((detail) => !present(data[detail]));
}

export interface BeneficiaryFilter {
  /** A category id of the profile, or "none" for beneficiaries without one. */
  category?: string | undefined;
  file?: 'complete' | 'incomplete' | undefined;
}

const categoryTag = (category: string) => `!category:${category}`;
const fileTag = (file: 'complete' | 'incomplete') => `!file:${file}`;

/** The filter tags of a beneficiary's data, before blinding. */
export function filterTagsOf(data: Record<string, unknown>): string[] {
  const category = typeof data.category === 'string' && data.category !== '' ? data.category : 'none';
  return [categoryTag(category), fileTag(missingDetails(data).length === 0 ? 'complete' : 'incomplete')];
}

/** The tags a beneficiary must carry to pass the filter, before blinding; none when nothing is filtered. */
export function tagsOfFilter(filter: BeneficiaryFilter): string[] {
  return [
    ...(filter.category === undefined ? [] : [categoryTag(filter.category)]),
    ...(filter.file === undefined ? [] : [fileTag(filter.file)]),
  ];
}
