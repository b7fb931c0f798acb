// Brotli and gzip copies of the built app's hashed assets, made once at build time (vite.config.ts) so the
// server sends each asset compressed without compressing it on every request: the server picks the copy the
// browser accepts (static.ts, `Vary: Accept-Encoding`). Brotli at its best quality, as the work is done once.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** What is worth compressing: text. Images and fonts (woff2) are compressed already. */
export const COMPRESSIBLE = /\.(js|mjs|css|svg|json|webmanifest|txt)$/;

export interface Precompressed {
  files: number;
  /** Bytes as built, and as each copy weighs, over the files compressed. */
  bytes: number;
  brotli: number;
  gzip: number;
}

/** Writes `<file>.br` and `<file>.gz` beside each compressible file of `dir` (not its subfolders). */
export async function precompress(dir: string): Promise<Precompressed> {
  const total: Precompressed = { files: 0, bytes: 0, brotli: 0, gzip: 0 };
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
    .map((entry) => entry.name);
  for (const name of names) {
    const data = await readFile(join(dir, name));
    const [br, gz] = await Promise.all([
      brotli(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
      gzipped(data, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    // A copy no smaller than the file itself is not kept: the file goes as it is.
    if (br.length < data.length) await writeFile(join(dir, `${name}.br`), br);
    if (gz.length < data.length) await writeFile(join(dir, `${name}.gz`), gz);
    total.files += 1;
    total.bytes += data.length;
    total.brotli += Math.min(br.length, data.length);
    total.gzip += Math.min(gz.length, data.length);
  }
  return total;
}
