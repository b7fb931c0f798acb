// The little of PouchDB's packages the benchmark uses (they ship no types), declared here: `npm test`
// type-checks and lints this folder on a clone where its package (node_modules) is not installed.
declare module 'express-pouchdb' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  export default function expressPouchDB(
    pouch: unknown,
    options?: { mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom'; inMemoryConfig?: boolean },
  ): (req: IncomingMessage, res: ServerResponse) => void;
}

declare module 'pouchdb-core' {
  interface PouchConstructor {
    plugin(plugin: unknown): PouchConstructor;
    defaults(options: { adapter: string }): PouchConstructor;
  }
  const PouchDB: PouchConstructor;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory';
declare module 'pouchdb-adapter-http';
declare module 'pouchdb-replication';
declare module 'pouchdb-mapreduce';

declare module 'pouchdb-browser' {
  interface Doc {
    _id: string;
    _rev?: string;
    [field: string]: unknown;
  }
  interface Database {
    replicate: {
      from(remote: string): Promise<{ docs_written: number }>;
      to(remote: string): Promise<{ docs_written: number }>;
    };
    info(): Promise<{ doc_count: number }>;
    allDocs(options: { include_docs: true }): Promise<{ rows: { doc?: Doc }[] }>;
    bulkDocs(docs: Doc[]): Promise<({ ok: true } | { error: true; message?: string })[]>;
  }
  const PouchDB: new (name: string) => Database;
  export default PouchDB;
}
