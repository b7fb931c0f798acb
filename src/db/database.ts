// The one Dexie database of the app. Every schema version lives here, in order; never edit a
// released version, add the next one.
import { Dexie, type EntityTable } from 'dexie';

/** Small keyed values: this installation's device id, the signed-in session, the server's mode. */
export interface MetaRecord {
  key: string;
  value: unknown;
}

export class WaselDb extends Dexie {
  meta!: EntityTable<MetaRecord, 'key'>;

  constructor(name = 'wasel', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      meta: 'key',
    });
  }
}
