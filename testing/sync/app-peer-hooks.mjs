// Module resolution hook for y-webrtc-peer-process.ts (test helper, not app code): y-webrtc's
// import of simple-peer's bundle resolves to the app's own peer, as the app's build does
// (vite.config.ts), so Node tests run y-webrtc on the peer the browser runs.
const APP_PEER = new URL('../../app/sync/webrtc-peer.ts', import.meta.url).href;

/**
 * @param {string} specifier
 * @param {object} context
 * @param {(specifier: string, context: object) => Promise<unknown>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'simple-peer/simplepeer.min.js') return nextResolve(APP_PEER, context);
  return nextResolve(specifier, context);
}
