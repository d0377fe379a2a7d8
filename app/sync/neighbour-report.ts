/**
 * NEIGHBOURS, the app's own message on y-webrtc's data channel (docs/transports.md TRN38): the
 * y-webrtc ids of the peers this page has a live direct connection to, sent to each neighbour
 * whenever that set changes. A neighbour that knows them skips forwarding to this page what this
 * page hears directly (TRN39). Framed like the Yjs messages it travels with:
 *
 *   byte 0         MESSAGE_NEIGHBOURS (21, after the role messages' 20)
 *   byte 1         NEIGHBOURS_VERSION (1)
 *   byte 2         n, the number of ids (0..MAX_NEIGHBOURS)
 *   n times        length L (1..MAX_NEIGHBOUR_ID_BYTES), then L bytes of UTF-8: a y-webrtc peer id
 *
 * The reader takes untrusted bytes and returns a reason instead of throwing.
 *
 * @example
 *   const read = readNeighbourReport(writeNeighbourReport(['5c0e...', '91aa...']));
 *   read.ok && read.ids; // ['5c0e...', '91aa...']
 */

/** After y-protocols' 0-3, y-webrtc's 4 and the role messages' 20. */
export const MESSAGE_NEIGHBOURS = 21;
export const NEIGHBOURS_VERSION = 1;
/** More than y-webrtc's `maxConns` (20-34); a page with more lists the first 64, which only forwards more. */
export const MAX_NEIGHBOURS = 64;
/** y-webrtc's ids are UUIDs (36 bytes). */
export const MAX_NEIGHBOUR_ID_BYTES = 64;
/** The largest well-formed report: 3 + 64 * (1 + 64) = 4,163 bytes. */
export const MAX_NEIGHBOURS_BYTES = 3 + MAX_NEIGHBOURS * (1 + MAX_NEIGHBOUR_ID_BYTES);

export type NeighbourReportRead = { ok: true; ids: string[] } | { ok: false; reason: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The report for `ids`; ids beyond MAX_NEIGHBOURS or longer than MAX_NEIGHBOUR_ID_BYTES are left out. */
export function writeNeighbourReport(ids: Iterable<string>): Uint8Array<ArrayBuffer> {
  const encoded: Uint8Array[] = [];
  for (const id of ids) {
    const bytes = encoder.encode(id);
    if (bytes.byteLength === 0 || bytes.byteLength > MAX_NEIGHBOUR_ID_BYTES) continue;
    encoded.push(bytes);
    if (encoded.length === MAX_NEIGHBOURS) break;
  }
  const out = new Uint8Array(3 + encoded.reduce((sum, id) => sum + 1 + id.byteLength, 0));
  out[0] = MESSAGE_NEIGHBOURS;
  out[1] = NEIGHBOURS_VERSION;
  out[2] = encoded.length;
  let at = 3;
  for (const id of encoded) {
    out[at] = id.byteLength;
    out.set(id, at + 1);
    at += 1 + id.byteLength;
  }
  return out;
}

/** Reads a NEIGHBOURS message (its type byte included); never throws. */
export function readNeighbourReport(data: Uint8Array): NeighbourReportRead {
  if (data.byteLength > MAX_NEIGHBOURS_BYTES) return { ok: false, reason: 'longer than any report' };
  if (data.byteLength < 3 || data[0] !== MESSAGE_NEIGHBOURS) return { ok: false, reason: 'not a report' };
  if (data[1] !== NEIGHBOURS_VERSION) return { ok: false, reason: `unknown version ${data[1]}` };
  const count = data[2] as number;
  if (count > MAX_NEIGHBOURS) return { ok: false, reason: `${count} ids, more than ${MAX_NEIGHBOURS}` };
  const ids: string[] = [];
  let at = 3;
  for (let i = 0; i < count; i++) {
    const length = data[at];
    if (length === undefined) return { ok: false, reason: 'truncated' };
    if (length === 0 || length > MAX_NEIGHBOUR_ID_BYTES) return { ok: false, reason: `an id of ${length} bytes` };
    if (at + 1 + length > data.byteLength) return { ok: false, reason: 'truncated' };
    try {
      ids.push(decoder.decode(data.subarray(at + 1, at + 1 + length)));
    } catch {
      return { ok: false, reason: 'an id that is not UTF-8' };
    }
    at += 1 + length;
  }
  if (at !== data.byteLength) return { ok: false, reason: 'bytes after the last id' };
  return { ok: true, ids };
}
