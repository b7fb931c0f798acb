// Messages of the caseload import (issue 19), in both languages. They travel with the administration's
// chunk, not with the first screen. Each field and refusal code of src/domain/import-rows.ts has its own
// text: the panel asks for `import.field.${field}` and `import.code.${code}`, which fail to compile if one is
// missing.
import ar from './import.ar.json';
import en from './import.en.json';
import { useCatalogue, type Catalogue } from './use-catalogue';

export type ImportKey = keyof typeof ar;
export const importMessages: Catalogue<typeof ar, typeof en> = { ar, en };

/** A message of the import, in the current language, with {placeholders} filled. */
export const useImportT = () => useCatalogue(importMessages);
