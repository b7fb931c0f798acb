// Document photos are compressed on the device before they are stored: a phone camera's 4–12 MB photo
// becomes a JPEG of at most 1600 px on its long edge and at most 500 KB, readable enough for an ID card
// or a bill. This module picks the quality, stepping down until the file fits.
//
// Where the browser has them (every browser the app supports), createImageBitmap decodes the photo once,
// upright from its EXIF orientation and off the main thread, and an OffscreenCanvas encodes each attempt:
// the representative waits about half as long as with a decode per attempt on the page's own canvas
// (npm run bench, the representative's task). compressorjs (canvas.toBlob, EXIF read in script) remains
// the way for a browser without them.
import Compressor from 'compressorjs';

export const MAX_PHOTO_EDGE = 1600;
export const MAX_PHOTO_BYTES = 500 * 1024;

/** Tried in order: the first size that fits wins, so a simple page keeps the best quality. */
const qualities = [0.82, 0.72, 0.62, 0.52, 0.42, 0.32];
/** Only if even the lowest quality is too big (a very busy image): smaller edges. */
const edges = [MAX_PHOTO_EDGE, 1280, 1024];

function compressOnce(file: Blob, quality: number, edge: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    new Compressor(file, {
      quality,
      maxWidth: edge,
      maxHeight: edge,
      mimeType: 'image/jpeg',
      // Always re-encode: the original may be small in bytes yet too large in pixels.
      strict: false,
      checkOrientation: true,
      success: resolve,
      error: reject,
    });
  });
}

export class PhotoTooLargeError extends Error {
  override readonly name = 'PhotoTooLargeError';
}

/** Decoded once, drawn at each edge, encoded at each quality, until the file fits. */
async function compressBitmap(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    for (const edge of edges) {
      const scale = Math.min(1, edge / Math.max(bitmap.width, bitmap.height));
      const canvas = new OffscreenCanvas(
        Math.max(1, Math.round(bitmap.width * scale)),
        Math.max(1, Math.round(bitmap.height * scale)),
      );
      const context = canvas.getContext('2d');
      if (context === null) throw new Error('No 2D context for the photo.');
      context.imageSmoothingQuality = 'high';
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      for (const quality of qualities) {
        const out = await canvas.convertToBlob({ type: 'image/jpeg', quality });
        if (out.size <= MAX_PHOTO_BYTES) return out;
      }
    }
  } finally {
    bitmap.close();
  }
  throw new PhotoTooLargeError('The photo cannot be made small enough.');
}

/** The photo as a JPEG within the limits; throws if the image cannot be read or made small enough. */
export async function compressPhoto(file: Blob): Promise<Blob> {
  if (typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function')
    return compressBitmap(file);
  for (const edge of edges)
    for (const quality of qualities) {
      const out = await compressOnce(file, quality, edge);
      if (out.size <= MAX_PHOTO_BYTES) return out;
    }
  throw new PhotoTooLargeError('The photo cannot be made small enough.');
}
