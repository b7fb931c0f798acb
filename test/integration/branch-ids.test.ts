// A record's own branch is one of its association's branches, whoever writes it: a made-up branch id (or
// another association's) would hide the record from every branch of the association, so the server refuses
// it, over HTTP, as a modified client would send it. Runs on PGlite (npm test) and PostgreSQL (test:pg).
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();

const person = (branchId: string) => ({
  branchId,
  fullName: 'سلمى خالد العتيبي',
  nationalId: '1000000008',
  mobile: '+966551000009',
});

it('a supervisor, who serves every branch, still writes only into one of the association’s branches', async () => {
  const write = (branchId: string) =>
    env.push('kadi.supervisor', [upsert(1, 'beneficiary', randomUUID(), person(branchId))]);
  expect(await write(randomUUID())).toEqual(['rejected validation_failed']);
  const [bakkah] = await env.db.query<{ id: string }>(
    "SELECT b.id FROM branches b JOIN associations a ON a.id = b.association_id WHERE a.code = 'bakkah' LIMIT 1",
  );
  expect(await write(bakkah?.id ?? '')).toEqual(['rejected validation_failed']);
  expect(await write(env.branch.b2 ?? '')).toEqual(['applied']);
});
