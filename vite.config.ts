import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * @react-three/xr can inject its own emulator (IWER with a dev UI and synthetic
 * room scans, ~1.5 MB gzip of lazy chunks). We disable it (`emulate: false`) and
 * use our own test-only path (app/xr/emulation.ts), so its module is replaced by
 * a stub and those chunks never ship.
 */
function withoutBuiltinXREmulator(): Plugin {
  const STUB = '\0holoroom-xr-emulator-stub';
  return {
    name: 'holoroom:without-builtin-xr-emulator',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './emulate.js' && importer?.replaceAll('\\', '/').includes('/@pmndrs/xr/dist/')) return STUB;
      return undefined;
    },
    load(id) {
      if (id !== STUB) return undefined;
      return `export function emulate() { throw new Error('the built-in XR emulator is not bundled; use ?xr-emulate=quest3'); }`;
    },
  };
}

// The app is built into build/app and served by server/ (one process, one port).
export default defineConfig({
  plugins: [react(), withoutBuiltinXREmulator()],
  publicDir: 'public',
  resolve: {
    // iwer's optional dev packages bring their own three; one copy only.
    dedupe: ['three'],
  },
  build: {
    outDir: 'build/app',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    // bench/bundle.bench.ts reads the manifest to tell initial from lazy JavaScript.
    manifest: true,
  },
  server: {
    proxy: {
      '/signal': { target: 'ws://localhost:8080', ws: true },
      '/config.json': 'http://localhost:8080',
      '/api': 'http://localhost:8080',
      '/xr-profiles': 'http://localhost:8080',
    },
  },
});
