// Attachment files on the device: stored once by hash, written with their record in one transaction, and
// sent at most once — the uploader asks the server first, resumes its own upload, and never drops a file.
import { createHash } from 'node:crypto';
import { DetailedError, type HttpResponse } from 'tus-js-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WaselDb, type FileEntry } from '../../src/db/database';
import { attachmentRecordId, createFilesRepository, sha256Hex } from '../../src/db/files-repository';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys, type Cipher } from '../../src/db/vault';
import { inPageLocks } from '../../src/sync/locks';
import { createUploader, type Transfer } from '../../src/sync/uploader';

let db: WaselDb;
let cipher: Cipher;
let n = 0;
beforeEach(async () => {
  n += 1;
  db = new WaselDb(`wasel-attachments-${n}`);
  cipher = createCipher(await randomKeys());
});
afterEach(async () => {
  await db.delete();
});

const beneficiaryA = '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f601';
const beneficiaryB = '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f602';
const bytes = (...values: number[]) => new Uint8Array(values).buffer;

function repositories() {
  let id = 0;
  const records = createRecordsRepository(db, cipher, {
    newId: () => `00000000-0000-4000-8000-${String((id += 1)).padStart(12, '0')}`,
    now: () => Date.parse('2026-11-22T09:00:00Z'),
  });
  return {
    records,
    files: createFilesRepository(db, cipher, records, () => Date.parse('2026-11-22T09:00:00Z')),
  };
}

const doc = (data: ArrayBuffer, beneficiaryId = beneficiaryA) => ({
  data,
  mimeType: 'image/jpeg' as const,
  kind: 'document' as const,
  beneficiaryId,
  caseId: null,
  requirementId: null,
});

describe('the files table', () => {
  it('names a file by the SHA-256 of its bytes', async () => {
    const data = bytes(1, 2, 3);
    expect(await sha256Hex(data)).toBe(createHash('sha256').update(new Uint8Array(data)).digest('hex'));
  });

  it('stores the same bytes once, and attaching them twice to the same person is one record', async () => {
    const { files, records } = repositories();
    const first = await files.attach(doc(bytes(1, 2, 3)));
    const again = await files.attach(doc(bytes(1, 2, 3)));
    const elsewhere = await files.attach(doc(bytes(1, 2, 3), beneficiaryB));
    expect(again).toEqual(first);
    expect(elsewhere.sha256).toBe(first.sha256);
    expect(elsewhere.recordId).not.toBe(first.recordId);
    expect(await db.files.count()).toBe(1);
    expect((await records.list('attachment')).map((r) => r.data?.beneficiaryId).sort()).toEqual([
      beneficiaryA,
      beneficiaryB,
    ]);
    expect(await db.outbox.count()).toBe(2);
    const record = await records.get('attachment', first.recordId);
    expect(record?.data).toMatchObject({ sha256: first.sha256, size: 3, mimeType: 'image/jpeg' });
    expect(first.recordId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await attachmentRecordId(`${beneficiaryA}//`, first.sha256)).toBe(first.recordId);
  });

  it('keeps the bytes sealed, and opens them whole', async () => {
    const { files } = repositories();
    const photo = new TextEncoder().encode('a photo of an ID card: 1000000008').buffer;
    const { sha256 } = await files.attach(doc(photo));
    const stored = await db.files.get(sha256);
    expect(stored && 'data' in stored).toBe(false);
    expect(new TextDecoder().decode(new Uint8Array(stored?.sealed.ct ?? new ArrayBuffer(0)))).not.toContain(
      '1000000008',
    );
    const opened = await files.read(sha256);
    expect(new TextDecoder().decode(new Uint8Array(opened?.data ?? new ArrayBuffer(0)))).toBe(
      'a photo of an ID card: 1000000008',
    );
  });

  it('keeps neither the file nor the record when the outbox write fails', async () => {
    const { files } = repositories();
    db.outbox.hook('creating', () => {
      throw new Error('disk full');
    });
    await expect(files.attach(doc(bytes(9, 9)))).rejects.toThrow('disk full');
    expect(await db.files.count()).toBe(0);
    expect(await db.records.count()).toBe(0);
  });

  it('keeps a fetched copy only if its bytes match the name', async () => {
    const { files } = repositories();
    const data = bytes(4, 5, 6);
    const sha = await sha256Hex(data);
    await expect(files.storeFetched(sha, 'image/jpeg', bytes(4, 5, 7))).rejects.toThrow();
    await files.storeFetched(sha, 'image/jpeg', data);
    expect((await files.get(sha))?.state).toBe('fetched');
    expect(await files.pending()).toEqual([]);
  });
});

/** A server holding a set of hashes, answering HEAD /files/<sha> like the real one. */
function fakeServer() {
  const held = new Set<string>();
  let heads = 0;
  const fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const sha = url.split('/').pop() ?? '';
    expect(init?.method).toBe('HEAD');
    heads += 1;
    return Promise.resolve(new Response(null, { status: held.has(sha) ? 200 : 404 }));
  };
  return { held, fetch, heads: () => heads };
}

function refused(status: number): DetailedError {
  const response: HttpResponse = {
    getStatus: () => status,
    getHeader: () => undefined,
    getBody: () => '',
    getUnderlyingObject: () => null,
  };
  return Object.assign(new DetailedError('refused'), { originalResponse: response });
}

function uploaderWith(server: ReturnType<typeof fakeServer>, transfer: Transfer) {
  const { files } = repositories();
  const uploader = createUploader({
    files,
    accessToken: () => Promise.resolve('token'),
    origin: 'https://wasel.example',
    lock: inPageLocks(),
    fetch: server.fetch,
    transfer,
  });
  return { files, uploader };
}

describe('the uploader', () => {
  it('sends nothing for bytes the server already has', async () => {
    const server = fakeServer();
    const sent: string[] = [];
    const { files, uploader } = uploaderWith(server, (file) => {
      sent.push(file.sha256);
      return Promise.resolve();
    });
    const { sha256 } = await files.attach(doc(bytes(1, 1, 1)));
    server.held.add(sha256);
    await uploader.uploadPending();
    expect(sent).toEqual([]);
    expect((await files.get(sha256))?.state).toBe('uploaded');
  });

  it('resumes its own upload after a failure, and is done only when the server holds the file', async () => {
    const server = fakeServer();
    const calls: (string | null)[] = [];
    let failNext = true;
    const { files, uploader } = uploaderWith(server, async (file, _data, onUrl) => {
      calls.push(file.uploadUrl);
      await onUrl('https://wasel.example/api/v1/attachments/uploads/u1');
      if (failNext) {
        failNext = false;
        throw new Error('network down');
      }
      server.held.add(file.sha256);
    });
    const { sha256 } = await files.attach(doc(bytes(2, 2, 2)));

    await expect(uploader.uploadPending()).rejects.toThrow('network down');
    const afterFailure = (await files.get(sha256)) as FileEntry;
    expect(afterFailure.state).toBe('pending');
    expect(afterFailure.uploadUrl).toBe('https://wasel.example/api/v1/attachments/uploads/u1');

    await uploader.uploadPending();
    // The second attempt continued the same upload.
    expect(calls).toEqual([null, 'https://wasel.example/api/v1/attachments/uploads/u1']);
    expect((await files.get(sha256))?.state).toBe('uploaded');
    expect(await files.pending()).toEqual([]);
  });

  it('marks a refused file, starts it afresh next time, and still sends the others', async () => {
    const server = fakeServer();
    const { files, uploader } = uploaderWith(server, async (file, _data, onUrl) => {
      await onUrl(`https://wasel.example/u/${file.sha256}`);
      if (file.size === 1) throw refused(400);
      server.held.add(file.sha256);
    });
    const bad = await files.attach(doc(bytes(7)));
    const good = await files.attach(doc(bytes(8, 8)));
    await uploader.uploadPending();
    const refusedFile = (await files.get(bad.sha256)) as FileEntry;
    expect(refusedFile).toMatchObject({ state: 'pending', uploadUrl: null, lastError: 'refused' });
    expect((await files.get(good.sha256))?.state).toBe('uploaded');
  });

  it('does not count a transfer as done when the server does not hold the file afterwards', async () => {
    const server = fakeServer();
    const { files, uploader } = uploaderWith(server, () => Promise.resolve());
    const { sha256 } = await files.attach(doc(bytes(3, 3)));
    await uploader.uploadPending();
    expect(await files.get(sha256)).toMatchObject({ state: 'pending', uploadUrl: null });
    expect((await files.get(sha256))?.lastError).toMatch(/sent again/);
    expect(server.heads()).toBe(2);
  });
});
