/**
 * A model's files fetched from this site only, each stopped once it passes the
 * bytes the model has left (LIMIT3), whether the server declared its length
 * or only streams it.
 */
import { GltfError } from './json-reader.ts';

const MB = 1e6;

/** The body of `response`, refused beyond `maxBytes` (LIMIT3). */
export async function readCapped(response: Response, what: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    throw new GltfError(
      `${what} is ${(declared / MB).toFixed(1)} MB; a model may be ${(maxBytes / MB).toFixed(1)} MB (LIMIT3)`,
    );
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new GltfError(`${what} is larger than ${(maxBytes / MB).toFixed(1)} MB (LIMIT3)`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** `url`'s bytes, which must be on `origin` (MODEL1) and within `maxBytes` (LIMIT3); no redirects. */
export async function fetchCapped(url: URL, origin: string, maxBytes: number): Promise<Uint8Array> {
  if (url.origin !== origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new GltfError(`${url.href} is not on this site (MODEL1)`);
  }
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', redirect: 'error' });
  } catch (error) {
    throw new GltfError(`${url.pathname} could not be fetched: ${(error as Error).message}`);
  }
  if (!response.ok) throw new GltfError(`${url.pathname} answered ${response.status}`);
  return readCapped(response, url.pathname, maxBytes);
}
