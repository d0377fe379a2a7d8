/**
 * Constants of the pose protocol (docs/pose-protocol.md, byte by byte). Every
 * message starts with the same 6-byte header (header.ts): version, kind,
 * sender id. Each kind has a writer and a reader: BATCH in batch-codec.ts,
 * HELLO, PING, PONG and BYE in control-codec.ts.
 *
 * @example
 *   writer.begin(sender, seq, toTicks(now), FLAG_KEYFRAME);
 *   writer.add(entry);
 *   const status = readPoseBatch(writer.finish(), batch); // 'ok' or why it was dropped
 */

/** Bumped on any incompatible change; a reader drops every other version ([POSE1]). */
export const POSE_PROTOCOL_VERSION = 1;

/** Message kinds (byte 1). */
export const KIND_BATCH = 1;
export const KIND_HELLO = 2;
export const KIND_PING = 3;
export const KIND_PONG = 4;
export const KIND_BYE = 5;

export const HEADER_BYTES = 6;
export const BATCH_HEADER_BYTES = 14;
export const PING_BYTES = 10;
export const PONG_BYTES = 18;
export const BYE_BYTES = 6;

/** Largest message written or accepted: fits one unfragmented datagram on common paths ([POSE2]). */
export const MAX_MESSAGE_BYTES = 1200;
/** Entry count is one byte. */
export const MAX_ENTRIES = 255;

/** Batch flags (byte 12). */
export const FLAG_KEYFRAME = 1;

/** Entry part codes (2 bits). Avatar parts need no id; anything else is an object with a 32-bit id. */
export const PART_HEAD = 0;
export const PART_LEFT = 1;
export const PART_RIGHT = 2;
export const PART_OBJECT = 3;
export type PartCode = 0 | 1 | 2 | 3;

/** Entry field codes (2 bits): which fields follow. */
export const FIELDS_GONE = 0;
export const FIELDS_POSITION = 1;
export const FIELDS_ROTATION = 2;
export const FIELDS_BOTH = 3;

/** Position: 15-bit signed fixed point, ±32 m in steps of 32/16383 m (error <= 0.98 mm) ([POSE3]). */
export const POSITION_BITS = 15;
export const POSITION_LIMIT = 16383;
export const POSITION_RANGE_M = 32;
export const POSITION_STEP_M = POSITION_RANGE_M / POSITION_LIMIT;
/** A component of -16384 means "escaped": a 32-bit signed millimetre value follows ([POSE4]). */
export const POSITION_ESCAPE = -16384;
export const WIDE_POSITION_BITS = 32;
/** Beyond this, positions are rejected by the sender rather than wrapped (about ±2147 km). */
export const WIDE_POSITION_LIMIT_M = 2_147_483;

/** Rotation: smallest three, 2-bit index + 3 × 11-bit components (error <= 0.14 degrees) ([POSE5]). */
export const ROTATION_COMPONENT_BITS = 11;
/** Components are 0..2046 with 1023 = 0 exactly (so the identity is exact); 2047 is invalid. */
export const ROTATION_COMPONENT_CENTER = 1023;
export const ROTATION_COMPONENT_MAX = 2 * ROTATION_COMPONENT_CENTER;

/** HELLO text limits (bytes of UTF-8 / ASCII). */
export const MAX_NAME_BYTES = 64;
export const MAX_LINK_TOKEN_BYTES = 64;

/** Send times are u32 counts of 1/8 ms on the sender's clock (wraps every 6.2 days). */
export const TIME_TICKS_PER_MS = 8;

/** Why a message was dropped; 'ok' when it was read. */
export type ReadStatus = 'ok' | 'truncated' | 'oversized' | 'version' | 'kind' | 'garbage';
export const READ_ERRORS = ['truncated', 'oversized', 'version', 'kind', 'garbage'] as const;
