/**
 * MODEL1: models load from this site only (the page's content security policy
 * allows nothing else). A model URL must be a path: `/models/x.glb`, or
 * relative to /scenes/ (`models/x.glb`), ending in `.glb` or `.gltf`; URLs with
 * a scheme or host (`https://...`, `//host/...`, `data:`) are refused with a
 * MODEL_URL warning and drawn as a placeholder.
 */

const SCENES_BASE = 'http://holoroom.invalid/scenes/';

/** The same-origin path to load, or a reason it is refused. */
export function modelPath(url: string): { ok: true; path: string } | { ok: false; reason: string } {
  const text = url.trim();
  if (text === '') return { ok: false, reason: 'the model URL is empty' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f\\]/.test(text))
    return { ok: false, reason: 'the model URL has characters a path cannot have' };
  if (text.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(text)) {
    return { ok: false, reason: 'models load from this site only: write a path such as /scenes/models/x.glb' };
  }
  const resolved = new URL(text, SCENES_BASE);
  if (resolved.origin !== new URL(SCENES_BASE).origin) return { ok: false, reason: 'models load from this site only' };
  if (!/\.(glb|gltf)$/i.test(resolved.pathname)) return { ok: false, reason: 'a model must be a .glb or .gltf file' };
  return { ok: true, path: resolved.pathname };
}
