// Document photos in Chromium: compressed on the device, kept offline in IndexedDB, uploaded with tus once
// there is a network — once, and resumed from the last byte after the app was closed mid-upload.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, request as forward } from 'node:http';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { expect, it, onTestFinished } from 'vitest';
import { FILES_PATH, UPLOADS_PATH } from '../../src/protocol/attachments';
import {
  apiLogin,
  newPerson,
  signIn,
  storedRows,
  unlocked,
  useRestartableServer,
  waitForControl,
  registerPerson,
  beneficiaryTab,
} from './harness';

const env = useRestartableServer();
const url = env.url;

/** A phone-camera-sized photo of a document (4000×3000 JPEG, several MB), drawn in the page. */
async function cameraPhoto(page: Page, grain: number): Promise<Buffer> {
  const base64 = await page.evaluate(async (grain) => {
    const canvas = new OffscreenCanvas(4000, 3000);
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('no 2d context');
    const gradient = ctx.createLinearGradient(0, 0, 4000, 3000);
    gradient.addColorStop(0, '#f4efe1');
    gradient.addColorStop(1, '#c8d5df');
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, 4000, 3000);
    ctx.fillStyle = '#1d2a33';
    ctx.font = '110px sans-serif';
    for (let y = 200; y < 3000; y += 170) ctx.fillText('بطاقة الهوية الوطنية 1000000008 — الرياض', 120, y);
    // Sensor grain, as in a real photo (and so that it does not compress to nothing).
    const image = ctx.getImageData(0, 0, 4000, 3000);
    let seed = 7;
    for (let i = 0; i < image.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = (seed % (2 * grain + 1)) - grain;
      image.data[i] = (image.data[i] ?? 0) + n;
      image.data[i + 1] = (image.data[i + 1] ?? 0) + n;
      image.data[i + 2] = (image.data[i + 2] ?? 0) + n;
    }
    ctx.putImageData(image, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    let binary = '';
    for (const b of new Uint8Array(await blob.arrayBuffer())) binary += String.fromCharCode(b);
    return btoa(binary);
  }, grain);
  return Buffer.from(base64, 'base64');
}

interface DeviceFile {
  sha256: string;
  actualSha256: string;
  size: number;
  width: number;
  height: number;
  state: string;
  uploadUrl: string | null;
}

/**
 * The files table, read straight from IndexedDB (where the bytes are sealed), with each image the app
 * shows (opened by the app) decoded and its hash recomputed.
 */
/**
 * Remembers each blob the app shows through an object URL, so the test can read the bytes of an image on the
 * screen: the app's real CSP (connect-src 'self') rightly refuses a fetch of a blob: URL.
 */
async function keepShownBlobs(context: BrowserContext): Promise<BrowserContext> {
  await context.addInitScript(() => {
    const shown = new Map<string, Blob>();
    Object.assign(window, { shownBlobs: shown });
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = create(object);
      if (object instanceof Blob) shown.set(url, object);
      return url;
    };
  });
  return context;
}

async function deviceFiles(page: Page): Promise<DeviceFile[]> {
  const rows = (await storedRows(page, 'files')) as unknown as {
    sha256: string;
    size: number;
    state: string;
    uploadUrl: string | null;
  }[];
  return Promise.all(
    rows.map(async (r) => {
      const shown = await page.evaluate(async (sha256) => {
        const img = document.querySelector<HTMLImageElement>(
          `[data-testid=document][data-sha256="${sha256}"] img`,
        );
        if (img === null) return null;
        // The blob behind the image, as the app made it (fetching a blob: URL is refused by the CSP).
        const blob = (window as unknown as { shownBlobs: Map<string, Blob> }).shownBlobs.get(img.src);
        if (blob === undefined) return null;
        const bitmap = await createImageBitmap(blob);
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
        return {
          actualSha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
          bytes: blob.size,
          width: bitmap.width,
          height: bitmap.height,
        };
      }, r.sha256);
      return {
        sha256: r.sha256,
        actualSha256: shown?.actualSha256 ?? '',
        size: r.size,
        width: shown?.width ?? 0,
        height: shown?.height ?? 0,
        state: r.state,
        uploadUrl: r.uploadUrl,
      };
    }),
  );
}

/** Requests the page makes to the attachment endpoints, as "METHOD path offset". */
function watchUploads(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request: Request) => {
    const path = new URL(request.url()).pathname;
    if (!path.startsWith(UPLOADS_PATH) && !path.startsWith(FILES_PATH)) return;
    const offset = request.headers()['upload-offset'];
    seen.push(
      `${request.method()} ${path.startsWith(UPLOADS_PATH) ? 'upload' : 'file'}${offset === undefined ? '' : ` ${offset}`}`,
    );
  });
  return seen;
}

/** Registers a beneficiary from the signed-in app and opens their page. */
async function register(page: Page, origin = url()): Promise<string> {
  await page.goto(origin);
  await unlocked(page);
  await page.click('[data-section=beneficiaries]');
  const name = `هند سالم محمد ${randomUUID().slice(0, 6)}`;
  const person = newPerson();
  await registerPerson(page, { name, nationalId: person.nationalId, mobile: person.mobile });
  await page.click(`[data-testid=beneficiary] >> text=${name}`);
  await beneficiaryTab(page, 'documents');
  await page.waitForSelector('[data-testid=documents]');
  return name;
}

async function signedIn(context: BrowserContext, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url());
  await signIn(page, username);
  await waitForControl(page);
  return page;
}

async function openBeneficiary(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url());
  await unlocked(page);
  await page.click('[data-section=beneficiaries]');
  await page.click(`[data-testid=beneficiary] >> text=${name}`);
  await beneficiaryTab(page, 'documents');
  await page.waitForSelector('[data-testid=documents]');
  return page;
}

async function fileOnServer(username: string, sha256: string): Promise<Buffer | null> {
  const { accessToken } = await apiLogin(url(), username);
  const response = await fetch(`${url()}${FILES_PATH}/${sha256}`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  return response.status === 200 ? Buffer.from(await response.arrayBuffer()) : null;
}

it('a photo taken offline is compressed, kept through a reload, and sent once — the same photo again is neither kept nor sent twice', async () => {
  // The test reads the photos the app shows through their blob: URLs, which the app's CSP keeps from scripts.
  const context = await keepShownBlobs(await env.browser().newContext());
  let page = await signedIn(context, 'kadi.rep1');
  const name = await register(page);
  const photo = await cameraPhoto(page, 6);
  expect(photo.length).toBeGreaterThan(1_500_000);

  // Offline: the page and the server both gone.
  await context.setOffline(true);
  await env.stop();
  await page.setInputFiles('[data-testid=document-input]', {
    name: 'id.jpg',
    mimeType: 'image/jpeg',
    buffer: photo,
  });
  await page.waitForSelector('[data-testid=document][data-state=pending] img');
  const [stored] = await deviceFiles(page);
  expect(stored).toBeDefined();
  if (stored === undefined) return;
  expect(Math.max(stored.width, stored.height)).toBeLessThanOrEqual(1600);
  expect(Math.max(stored.width, stored.height)).toBeGreaterThanOrEqual(1200);
  expect(stored.size).toBeLessThanOrEqual(500 * 1024);
  expect(stored.actualSha256).toBe(stored.sha256);
  expect(await page.getAttribute('[data-testid=sync-indicator]', 'data-files')).toBe('1');

  // The app closed and opened again, still offline: the photo is there.
  await page.close();
  page = await openBeneficiary(context, name);
  await page.waitForSelector(
    `[data-testid=document][data-sha256="${stored.sha256}"][data-state=pending] img`,
  );
  const requests = watchUploads(page);

  // The network returns: the photo is sent, then the server holds exactly those bytes.
  await env.start();
  await context.setOffline(false);
  await page.waitForSelector('[data-testid=document][data-state=uploaded]', { timeout: 60_000 });
  expect(requests.filter((r) => r.startsWith('POST upload'))).toHaveLength(1);
  const onServer = await fileOnServer('kadi.rep1', stored.sha256);
  expect(onServer === null ? null : createHash('sha256').update(onServer).digest('hex')).toBe(stored.sha256);

  // The same photo attached again, to another beneficiary: one file on the device, nothing sent.
  const before = requests.length;
  await register(page);
  await page.setInputFiles('[data-testid=document-input]', {
    name: 'id-again.jpg',
    mimeType: 'image/jpeg',
    buffer: photo,
  });
  await page.waitForSelector(`[data-testid=document][data-sha256="${stored.sha256}"][data-state=uploaded]`);
  expect(await deviceFiles(page)).toHaveLength(1);
  await page.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
    timeout: 60_000,
  });
  expect(requests.slice(before).filter((r) => r.includes('upload'))).toEqual([]);
  await context.close();
});

/**
 * The device's network to the server, as a proxy the page knows as its origin: every request of the page
 * passes through it, so none can go round a cut. While `cutting`, the first PATCH of an upload goes through
 * and every later one is dropped with its connection, as when the network fails mid-upload.
 */
async function flakyNetwork(server: string) {
  const patches: string[] = [];
  let cutting = false;
  const proxy = createServer((req, res) => {
    if (req.method === 'PATCH') {
      const offset = req.headers['upload-offset'] ?? '?';
      if (cutting && patches.length > 0) {
        patches.push(`cut ${String(offset)}`);
        req.socket.destroy();
        return;
      }
      patches.push(`sent ${String(offset)}`);
    }
    const upstream = forward(
      new URL(req.url ?? '/', server),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    url: `http://127.0.0.1:${String(address.port)}`,
    patches,
    cut(on: boolean) {
      cutting = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => {
          resolve();
        });
      }),
  };
}

it('an upload cut off when the app closes resumes from the last byte the server has, not from the start', async () => {
  // The page reaches the server through a proxy that can cut the network: a cut made by Playwright's
  // routes can be missed by a request they do not see, which then finishes the upload behind the test.
  // Without the service worker, so that the page's own requests are all there is to watch.
  const network = await flakyNetwork(url());
  onTestFinished(network.close);
  const context = await keepShownBlobs(await env.browser().newContext({ serviceWorkers: 'block' }));
  let page = await context.newPage();
  await page.goto(network.url);
  await signIn(page, 'kadi.rep1');
  const name = await register(page, network.url);
  const photo = await cameraPhoto(page, 60);

  // The network fails after the first chunk: every later PATCH is cut.
  network.cut(true);
  const firstChunk = page.waitForResponse(
    (r) => r.url().includes(UPLOADS_PATH) && r.request().method() === 'PATCH' && r.status() === 204,
  );
  await page.setInputFiles('[data-testid=document-input]', {
    name: 'bill.jpg',
    mimeType: 'image/jpeg',
    buffer: photo,
  });
  await firstChunk;
  // The upload's URL is kept in IndexedDB; then the app is closed while tus-js-client is still retrying.
  const [file] = (await storedRows(page, 'files')) as {
    uploadUrl?: string;
    size?: number;
    sha256?: string;
  }[];
  expect(file?.uploadUrl).toMatch(new RegExp(`${UPLOADS_PATH}/`));
  // More than one chunk, so that there is something to resume.
  expect(file?.size).toBeGreaterThan(256 * 1024);
  await page.close();
  // Nothing more than the first chunk reached the server: otherwise there is nothing to resume.
  expect(
    await fileOnServer('kadi.rep1', file?.sha256 ?? ''),
    `PATCHes: ${network.patches.join(', ')}`,
  ).toBeNull();
  expect(network.patches.filter((p) => p.startsWith('sent'))).toEqual(['sent 0']);

  // The network is back and the app opens again: it asks where the upload stands and sends only the rest.
  network.cut(false);
  page = await context.newPage();
  const requests = watchUploads(page);
  await page.goto(network.url);
  await unlocked(page);
  await page.click('[data-section=beneficiaries]');
  await page.click(`[data-testid=beneficiary] >> text=${name}`);
  await beneficiaryTab(page, 'documents');
  await page.waitForSelector('[data-testid=document][data-state=uploaded]', { timeout: 60_000 });
  expect(requests).toEqual(['HEAD file', 'HEAD upload', `PATCH upload ${256 * 1024}`, 'HEAD file']);
  const onServer = await fileOnServer('kadi.rep1', file?.sha256 ?? '');
  expect(onServer?.length).toBe(file?.size);
  await context.close();
});
