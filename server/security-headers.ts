/**
 * Headers on every HTTP response. The content security policy is a second wall
 * behind the scene-script interpreter: even a bug there cannot load script from
 * elsewhere or reach another origin (SEC1), and only our own WebAssembly runs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // Room links are invitations: never leak them to other sites.
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'xr-spatial-tracking=(self)',
};
