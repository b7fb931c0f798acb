// The classic offline-first server for the side-by-side benchmark: PouchDB's own CouchDB-protocol server
// (express-pouchdb, as pouchdb-server runs it) under /db, and the benchmark's page at /. Run as its own
// process, like the Wasel server: `node --import tsx test/bench/pouchdb/server.ts <page dir>`.
// Storage is in memory (memdown): the on-disk LevelDB adapter needs a native build this machine cannot
// fetch. That favours PouchDB's server; the browser side stores in IndexedDB as in the field.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import expressPouchDB from 'express-pouchdb';
import PouchCore from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import mapreduce from 'pouchdb-mapreduce';

const pageDir = process.argv[2] ?? '.';
const PouchDB = PouchCore.plugin(memoryAdapter)
  .plugin(httpAdapter)
  .plugin(replication)
  .plugin(mapreduce)
  .defaults({ adapter: 'memory' });
const couch = expressPouchDB(PouchDB, { mode: 'minimumForPouchDB', inMemoryConfig: true });

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/db' || url.startsWith('/db/')) {
    req.url = url.slice(3) || '/';
    couch(req, res);
    return;
  }
  const file = url === '/' ? 'index.html' : url.slice(1);
  if (file !== 'index.html' && file !== 'pouch.js') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
  res.end(readFileSync(join(pageDir, file)));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address !== null ? address.port : 0}`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
