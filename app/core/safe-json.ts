/**
 * JSON from peers, parsed with limits. `JSON.parse` itself copes with deep
 * nesting, but whatever later walks the value recursively (`JSON.stringify`
 * when it is relayed, a renderer, a comparison) overflows the stack on a
 * few kilobytes of `[[[[...]]]]`. So nesting is measured first, in one
 * non-recursive pass over the text, and a value too deep or too long is
 * refused before it exists. Never throws.
 *
 * @example
 *   const parsed = parseJsonLimited(text, { maxDepth: 16, maxLength: 65_536 });
 *   if (!parsed.ok) return refuse(parsed.error); // 'too deep' | 'too long' | 'not JSON'
 */

export interface JsonLimits {
  /** Most arrays/objects nested inside each other (a scalar has depth 0). */
  maxDepth: number;
  /** Most UTF-16 code units of text. */
  maxLength: number;
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: 'too deep' | 'too long' | 'not JSON' };

/** Deepest nesting of `[`/`{` outside strings; stops counting once past `limit`. */
function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

export function parseJsonLimited(text: string, limits: JsonLimits): JsonParseResult {
  if (text.length > limits.maxLength) return { ok: false, error: 'too long' };
  if (jsonDepth(text, limits.maxDepth) > limits.maxDepth) return { ok: false, error: 'too deep' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: 'not JSON' };
  }
}
