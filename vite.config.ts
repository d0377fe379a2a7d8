import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app is built into build/app and served by server/ (one process, one port).
export default defineConfig({
  plugins: [react()],
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
