// Attachment files over tus, spoken byte by byte as a client would: resumable uploads, the hash check,
// one stored copy per association, recovery of an upload completed just before a crash, and who may read.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FILES_PATH, MAX_ATTACHMENT_BYTES, UPLOADS_PATH } from '../../src/protocol/attachments';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { pushResponseSchema } from '../../src/protocol/sync';
import { UPLOAD_PART_BYTES } from '../../server/store/upload-store';
import { bearer, jsonRequest, testApp, upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();
const branch = env.branch;

const tokenOf = env.tokenOf;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A tus request as `username`, to this test's app or to `instance` (another app on the same database). */
async function tus(
  username: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Uint8Array | ReadableStream<Uint8Array>,
  instance = env.app,
) {
  return instance.request(path, {
    method,
    headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${await tokenOf(username)}`, ...headers },
    ...(body === undefined
      ? {}
      : body instanceof ReadableStream
        ? { body, duplex: 'half' }
        : { body: body as Uint8Array<ArrayBuffer> }),
  });
}

/** Creates an upload for `bytes` named by `hash`; returns its location. */
async function create(username: string, bytes: Uint8Array, hash = sha256(bytes), mimeType = 'image/jpeg') {
  const response = await tus(username, 'POST', UPLOADS_PATH, {
    'Upload-Length': String(bytes.length),
    'Upload-Metadata': `sha256 ${b64(hash)},mimeType ${b64(mimeType)}`,
  });
  expect(response.status).toBe(201);
  const location = response.headers.get('Location');
  expect(location).toMatch(new RegExp(`^${UPLOADS_PATH}/`));
  return location ?? '';
}

async function patch(
  username: string,
  location: string,
  offset: number,
  bytes: Uint8Array | ReadableStream<Uint8Array>,
  instance = env.app,
) {
  return tus(
    username,
    'PATCH',
    location,
    { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    bytes,
    instance,
  );
}

async function uploadWhole(username: string, bytes: Uint8Array) {
  const location = await create(username, bytes);
  const response = await patch(username, location, 0, bytes);
  expect(response.status).toBe(204);
  return location;
}

async function storedCopies(hash: string) {
  const rows = await env.db.query<{ n: string | number }>(
    'SELECT count(*) AS n FROM attachment_files WHERE sha256 = $1',
    [hash],
  );
  return Number(rows[0]?.n);
}

async function readFile(username: string, hash: string) {
  return env.app.request(`${FILES_PATH}/${hash}`, bearer(await tokenOf(username)));
}

describe('tus uploads', () => {
  it('resumes where the bytes stopped and serves the file whole, by its hash', async () => {
    const bytes = randomBytes(300_000);
    const hash = sha256(bytes);
    const location = await create('kadi.rep1', bytes);

    expect((await patch('kadi.rep1', location, 0, bytes.subarray(0, 120_000))).status).toBe(204);
    // The connection dropped; the client asks where to go on.
    const head = await tus('kadi.rep1', 'HEAD', location);
    expect(head.status).toBe(200);
    expect(head.headers.get('Upload-Offset')).toBe('120000');
    expect(await readFile('kadi.rep1', hash).then((r) => r.status)).toBe(404);

    // A PATCH from the wrong offset is refused rather than corrupting the file.
    expect((await patch('kadi.rep1', location, 100_000, bytes.subarray(100_000))).status).toBe(409);
    expect((await patch('kadi.rep1', location, 120_000, bytes.subarray(120_000))).status).toBe(204);

    const file = await readFile('kadi.rep1', hash);
    expect(file.status).toBe(200);
    expect(file.headers.get('Content-Type')).toBe('image/jpeg');
    expect(file.headers.get('Cache-Control')).toBe('no-store');
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(hash);
    const head2 = await env.app.request(`${FILES_PATH}/${hash}`, {
      method: 'HEAD',
      ...bearer(await tokenOf('kadi.rep1')),
    });
    expect(head2.status).toBe(200);
    expect(head2.headers.get('Content-Length')).toBe('300000');
  });

  it('stores the same bytes once, however many times they are sent', async () => {
    const bytes = randomBytes(5_000);
    await uploadWhole('kadi.rep1', bytes);
    await uploadWhole('kadi.rep1', bytes);
    await uploadWhole('kadi.rep1b', bytes);
    expect(await storedCopies(sha256(bytes))).toBe(1);
  });

  it('discards bytes that do not match the hash they were sent under', async () => {
    const bytes = randomBytes(2_000);
    const wrong = sha256(randomBytes(8));
    const location = await create('kadi.rep1', bytes, wrong);
    const response = await patch('kadi.rep1', location, 0, bytes);
    expect(response.status).toBe(400);
    expect(apiErrorBodySchema.parse(await response.json()).error.code).toBe('invalid_request');
    expect(await storedCopies(wrong)).toBe(0);
    expect(await storedCopies(sha256(bytes))).toBe(0);
    // The bad upload is gone; the client must start again.
    expect((await tus('kadi.rep1', 'HEAD', location)).status).toBe(404);
  });

  it('registers an upload whose last byte arrived just before the server stopped', async () => {
    const bytes = randomBytes(4_000);
    const hash = sha256(bytes);
    const location = await create('kadi.rep1', bytes);
    // The last bytes were kept, then the process died before the file was registered.
    const id = location.split('/').pop() ?? '';
    await env.db.query('INSERT INTO upload_parts (upload_id, start, data) VALUES ($1, 0, $2)', [id, bytes]);
    await env.db.query('UPDATE uploads SET "offset" = size WHERE id = $1', [id]);
    expect(await storedCopies(hash)).toBe(0);
    // The client, resuming, asks for the offset: the server finishes the job.
    const head = await tus('kadi.rep1', 'HEAD', location);
    expect(head.headers.get('Upload-Offset')).toBe('4000');
    expect(await storedCopies(hash)).toBe(1);
    expect((await readFile('kadi.rep1', hash)).status).toBe(200);
  });

  it('refuses uploads without a valid hash and type, too large, or unauthenticated; the administrator uploads (the library)', async () => {
    const noMeta = await tus('kadi.rep1', 'POST', UPLOADS_PATH, { 'Upload-Length': '10' });
    expect(noMeta.status).toBe(400);
    expect(apiErrorBodySchema.parse(await noMeta.json()).error.code).toBe('invalid_request');
    const badType = await tus('kadi.rep1', 'POST', UPLOADS_PATH, {
      'Upload-Length': '10',
      'Upload-Metadata': `sha256 ${b64(sha256(randomBytes(4)))},mimeType ${b64('text/html')}`,
    });
    expect(badType.status).toBe(400);
    const tooBig = await tus('kadi.rep1', 'POST', UPLOADS_PATH, {
      'Upload-Length': String(MAX_ATTACHMENT_BYTES + 1),
      'Upload-Metadata': `sha256 ${b64(sha256(randomBytes(4)))},mimeType ${b64('image/jpeg')}`,
    });
    expect(tooBig.status).toBe(413);
    const anonymous = await env.app.request(UPLOADS_PATH, {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' },
    });
    expect(anonymous.status).toBe(401);
    // The administrator uploads the association's library documents.
    const admin = await tus('kadi.admin', 'POST', UPLOADS_PATH, {
      'Upload-Length': '10',
      'Upload-Metadata': `sha256 ${b64(sha256(randomBytes(4)))},mimeType ${b64('image/jpeg')}`,
    });
    expect(admin.status).toBe(201);
    expect((await readFile('kadi.rep1', 'not-a-hash')).status).toBe(400);
  });

  it("lets nobody else continue, inspect or cancel someone's upload", async () => {
    const bytes = randomBytes(1_000);
    const location = await create('kadi.rep1', bytes);
    expect((await tus('kadi.rep1b', 'HEAD', location)).status).toBe(404);
    expect((await patch('kadi.rep1b', location, 0, bytes)).status).toBe(404);
    expect((await tus('kadi.rep1b', 'DELETE', location)).status).toBe(404);
    expect((await tus('kadi.rep1', 'HEAD', location)).headers.get('Upload-Offset')).toBe('0');
  });
});

describe('uploads in progress are kept in the database, for every instance', () => {
  it('an upload begun on one instance is carried on and finished on another', async () => {
    const other = testApp(env.db).app;
    const bytes = randomBytes(400_000);
    const hash = sha256(bytes);
    const location = await create('kadi.rep1', bytes);
    expect((await patch('kadi.rep1', location, 0, bytes.subarray(0, 150_000))).status).toBe(204);
    // The device's next requests reach another instance behind the proxy: it knows where the upload stands.
    const head = await tus('kadi.rep1', 'HEAD', location, {}, undefined, other);
    expect(head.headers.get('Upload-Offset')).toBe('150000');
    expect((await patch('kadi.rep1', location, 150_000, bytes.subarray(150_000), other)).status).toBe(204);
    expect(await storedCopies(hash)).toBe(1);
    const file = await readFile('kadi.rep1', hash);
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(hash);
  });

  it('a request cut off part-way keeps the bytes that arrived, and the device resumes after them', async () => {
    const bytes = randomBytes(300_000);
    const hash = sha256(bytes);
    const location = await create('kadi.rep1', bytes);
    expect(100_000).toBeLessThan(UPLOAD_PART_BYTES);
    // The body comes in network-sized pieces and stops with an error after 100,000 bytes (less than a
    // part, so nothing is written before the error), as when the
    // connection drops.
    let sent = 0;
    const cut = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 100_000) {
          controller.error(new Error('connection reset'));
          return;
        }
        const piece = bytes.subarray(sent, Math.min(sent + 16_384, 100_000));
        sent += piece.length;
        controller.enqueue(piece);
      },
    });
    // Its length is announced, as tus-js-client does for each chunk it sends.
    await tus(
      'kadi.rep1',
      'PATCH',
      location,
      {
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': '300000',
      },
      cut,
    );
    const head = await tus('kadi.rep1', 'HEAD', location);
    // What had reached the store when the error came is kept (the pieces still in the stream's buffers are
    // not, and are sent again).
    const kept = Number(head.headers.get('Upload-Offset'));
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(100_000);
    expect((await patch('kadi.rep1', location, kept, bytes.subarray(kept))).status).toBe(204);
    expect(await storedCopies(hash)).toBe(1);
  });

  it('two instances writing one upload at once never interleave its bytes: the later is refused', async () => {
    const other = testApp(env.db).app;
    const bytes = randomBytes(1_000_000);
    const hash = sha256(bytes);
    const location = await create('kadi.rep1', bytes);
    const chunk = bytes.subarray(0, 600_000);
    /** The first chunk's body: its first 100,000 bytes, then the rest once let go. */
    const gated = () => {
      let release = () => {};
      let started = () => {};
      const let_go = new Promise<void>((resolve) => (release = resolve));
      const reading = new Promise<void>((resolve) => (started = resolve));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            if (sent === 100_000) await let_go;
            if (sent === chunk.length) {
              controller.close();
              return;
            }
            const piece = chunk.subarray(sent, sent === 0 ? 100_000 : chunk.length);
            sent += piece.length;
            controller.enqueue(piece);
            started();
          },
        },
        // Read only when asked: the first piece is taken once the server is writing the upload.
        { highWaterMark: 0 },
      );
      return { body, reading, release };
    };
    const headers = {
      'Upload-Offset': '0',
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(chunk.length),
    };
    const first = gated();
    const second = gated();
    const one = tus('kadi.rep1', 'PATCH', location, headers, first.body);
    const two = tus('kadi.rep1', 'PATCH', location, headers, second.body, other);
    // Both instances have checked the offset (0) and are receiving bytes; each one's own lock sees nothing
    // of the other. The offset the database holds decides.
    await Promise.all([first.reading, second.reading]);
    first.release();
    expect((await one).status).toBe(204);
    second.release();
    const refused = await two;
    expect(refused.status).toBe(409);
    expect(apiErrorBodySchema.parse(await refused.json()).error.code).toBe('upload_conflict');
    // The client asks where the upload stands and sends the rest: the file is exactly its bytes.
    const head = await tus('kadi.rep1', 'HEAD', location, {}, undefined, other);
    expect(head.headers.get('Upload-Offset')).toBe('600000');
    expect((await patch('kadi.rep1', location, 600_000, bytes.subarray(600_000), other)).status).toBe(204);
    expect(await storedCopies(hash)).toBe(1);
    const file = await readFile('kadi.rep1', hash);
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(hash);
  });
});

describe('who may read a file', () => {
  it('K-REL-a K-REL-b the uploader; then whoever may see an attachment record naming it; never another association', async () => {
    const bytes = randomBytes(3_000);
    const hash = sha256(bytes);
    await uploadWhole('kadi.rep1', bytes);
    const status = async (username: string) => (await readFile(username, hash)).status;
    expect(await status('kadi.rep1')).toBe(200);
    // Not yet named by any record: nobody else, not even the supervisor.
    expect(await status('kadi.rep1b')).toBe(404);
    expect(await status('kadi.supervisor')).toBe(404);

    const beneficiaryId = randomUUID();
    const push = await env.app.request(
      '/api/v1/sync/push',
      jsonRequest(
        {
          clientId: randomUUID(),
          mutations: [
            upsert(1, 'beneficiary', beneficiaryId, {
              branchId: branch.b1,
              fullName: 'صاحب المستند',
              nationalId: '1000000008',
              mobile: '+966501234567',
            }),
            upsert(2, 'attachment', randomUUID(), {
              sha256: hash,
              kind: 'document',
              mimeType: 'image/jpeg',
              size: bytes.length,
              beneficiaryId,
              caseId: null,
              requirementId: null,
            }),
          ],
        },
        await tokenOf('kadi.rep1'),
      ),
    );
    const results = pushResponseSchema.parse(await push.json()).results;
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);

    expect(await status('kadi.rep1b')).toBe(200); // same branch
    expect(await status('kadi.supervisor')).toBe(200); // the whole association
    expect(await status('kadi.rep2')).toBe(404); // the other branch
    expect(await status('kadi.admin')).toBe(404); // admins administer
    expect(await status('bakkah.rep1')).toBe(404); // another association
  });
});
