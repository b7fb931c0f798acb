// Guard of `npm run test:pg`: the server suite must really run on PostgreSQL, not fall back to PGlite.
const url = process.env.DATABASE_URL;
if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) {
  console.error('npm run test:pg needs DATABASE_URL=postgres://user:password@host:port/database');
  process.exit(1);
}
