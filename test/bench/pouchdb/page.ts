// Bundled by the benchmark and run inside Chromium: PouchDB (pouchdb-browser, IndexedDB adapter) with its
// default replication settings, as an app built on it would use them. Exposes window.pouchBench.
import PouchDB from 'pouchdb-browser';

let local: InstanceType<typeof PouchDB> | undefined;
const need = () => {
  if (local === undefined) throw new Error('no local database yet');
  return local;
};

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await fn();
  return [performance.now() - started, result];
}

const pouchBench = {
  /** A fresh local database replicates everything from the server. */
  async initialSync(remote: string, name: string) {
    local = new PouchDB(name);
    const db = local;
    const [ms] = await timed(() => db.replicate.from(remote));
    return { ms, count: (await db.info()).doc_count };
  },
  /** `n` beneficiaries edited on the device, offline (no server involved). */
  async edit(n: number) {
    const db = need();
    const all = await db.allDocs({ include_docs: true });
    const docs = all.rows
      .map((r) => r.doc)
      .filter((d) => d?.entity === 'beneficiary')
      .flatMap((d) => (d === undefined ? [] : [d]))
      .slice(0, n);
    const [ms, results] = await timed(() =>
      db.bulkDocs(docs.map((d) => ({ ...d, nextVisitOn: '2026-12-01' }))),
    );
    const failed = results.filter((r) => 'error' in r).length;
    if (failed > 0) throw new Error(`${failed} edits failed`);
    return { ms, count: docs.length };
  },
  /** What is pending goes up. */
  async push(remote: string) {
    const db = need();
    const [ms, result] = await timed(() => db.replicate.to(remote));
    return { ms, written: result.docs_written };
  },
};

declare global {
  interface Window {
    pouchBench: typeof pouchBench;
  }
}
window.pouchBench = pouchBench;
