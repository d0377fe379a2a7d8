/**
 * Little-endian integers in byte arrays: the one place every wire format
 * (pose messages, relay frames, BroadcastChannel frames) reads and writes
 * them. Writers take the offset and return the offset after the field, so a
 * codec reads top to bottom like its byte table. Readers do not check bounds:
 * the caller checks the length first, as each reader in this folder does.
 *
 * @example
 *   let at = writeU8(out, 0, KIND);
 *   at = writeU32(out, at, sender);   // at === 5
 *   readU32(out, 1) === sender;
 */

export function writeU8(bytes: Uint8Array, at: number, value: number): number {
  bytes[at] = value & 0xff;
  return at + 1;
}

export function writeU16(bytes: Uint8Array, at: number, value: number): number {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  return at + 2;
}

export function writeU32(bytes: Uint8Array, at: number, value: number): number {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
  return at + 4;
}

export function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}

export function readU32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0
  );
}
