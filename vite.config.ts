import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type LogLevel, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { isOnDemandCode, PRECACHE_IGNORES, PRECACHE_PATTERNS } from './app/pwa/sw-routes.ts';
import { oneReconciler } from './scripts/one-reconciler.mjs';
import { generateIcons, PWA_ICONS, THEME_COLOR } from './scripts/pwa-icons.mjs';
import { rapierAsFiles } from './scripts/rapier-files.mjs';
import { chunkFileName, roomSharedThreeGroup, threeFromSource } from './scripts/three-from-source.mjs';
import {
  threeRendererWithoutUnusedMethods,
  threeWithoutJSON,
  threeWithoutPhysicalOnlyShaders,
  threeWithoutPMREM,
  threeWithoutUnusedShaders,
} from './scripts/three-unused.mjs';

/**
 * @react-three/xr can inject its own emulator (IWER with a dev UI and synthetic
 * room scans, ~1.5 MB gzip of lazy chunks). We disable it (`emulate: false`), so
 * its module is replaced by a stub and those chunks never ship. The browser
 * tests bring their own emulated headset (e2e/harness/xr-headset.ts); the app
 * ships none (docs/performance.md LOAD26).
 */
function withoutBuiltinXREmulator(): Plugin {
  return replaceXRLibraryImport(
    'xr-emulator-stub',
    './emulate.js',
    `export function emulate() { throw new Error('the built-in XR emulator is not bundled'); }`,
  );
}

/** A plugin that hands @pmndrs/xr's import of `source` the module `code` instead, as the module `\0holoroom-<name>`. */
function replaceXRLibraryImport(name: string, source: string, code: string): Plugin {
  const stub = `\0holoroom-${name}`;
  return {
    name: `holoroom:${name}`,
    enforce: 'pre',
    resolveId(imported, importer) {
      if (imported === source && importer?.replaceAll('\\', '/').includes('/@pmndrs/xr/dist/')) return stub;
      return undefined;
    },
    load(id) {
      return id === stub ? code : undefined;
    },
  };
}

/**
 * @pmndrs/xr and @react-three/xr import three's glTF loader for the controller
 * and hand models: 24 K gzip with every KHR_* extension it registers and
 * three's animation system, which the room never plays. They get our loader
 * instead, a class with the two methods they call
 * (app/render/gltf/xr-library-loader.ts, docs/performance.md LOAD32).
 */
const XR_LIBRARY_MODULE = /\/node_modules\/(@pmndrs\/xr|@react-three\/xr)\/dist\//;
function xrLibraryGltfLoader(): Plugin {
  const ours = fileURLToPath(new URL('./app/render/gltf/xr-library-loader.ts', import.meta.url));
  return {
    name: 'holoroom:xr-library-gltf-loader',
    enforce: 'pre',
    resolveId(imported, importer) {
      const fromLibrary = importer !== undefined && XR_LIBRARY_MODULE.test(importer.replaceAll('\\', '/'));
      return fromLibrary && imported === 'three/examples/jsm/loaders/GLTFLoader.js' ? ours : undefined;
    },
  };
}

/**
 * meshline (20 K of source) draws only @pmndrs/xr's teleport pointer, which the
 * room turns off for controllers and hands (`teleportPointer: false`,
 * app/xr/xr-store.ts): the room draws its own teleport arc (docs/interaction.md
 * LOCO3). The library's module still imports it at its top, so it is replaced
 * by two classes that refuse to be made, with a message that says why
 * (docs/performance.md LOAD30).
 */
function withoutLibraryTeleportLine(): Plugin {
  return replaceXRLibraryImport(
    'without-meshline',
    'meshline',
    [
      "const refuse = () => { throw new Error('the XR library\\'s teleport pointer is not bundled: the room draws its own teleport arc (docs/performance.md LOAD30)'); };",
      'export class MeshLineGeometry { constructor() { refuse(); } }',
      'export class MeshLineMaterial { constructor() { refuse(); } }',
    ].join('\n'),
  );
}

/** What the XR chunk's left-out pointers throw when made (docs/performance.md LOAD38). */
const XR_POINTER_REFUSAL =
  "is not bundled: the room turns the XR library's grab, touch and teleport pointers off (docs/performance.md LOAD38)";

/**
 * The pointer events' sphere intersection (the library's grab and touch pointers) and line intersection
 * (its teleport pointer), and the teleport pointer's curved ray: the room turns those pointers off
 * (`grabPointer`, `touchPointer`, `teleportPointer: false`, app/xr/xr-store.ts) and grabs and teleports
 * with its own code, but the library builds them behind run-time options the bundler cannot see. Each
 * intersector is replaced by a class that refuses to be made, and the ray's curve by a function that
 * refuses to run, with a message that says why (docs/performance.md LOAD38).
 */
function withoutUnusedXRPointers(): Plugin {
  const intersector = /\/@pmndrs\/pointer-events\/dist\/intersections\/(sphere|lines)\.js$/;
  const stubs: Record<string, string> = { sphere: 'SphereIntersector', lines: 'LinesIntersector' };
  const teleportLine = /export function createTeleportRayLine\(\) \{\n[^}]*\n\}\n/;
  return {
    name: 'holoroom:without-unused-xr-pointers',
    enforce: 'pre',
    async resolveId(imported, importer) {
      if (!importer?.replaceAll('\\', '/').includes('/@pmndrs/pointer-events/dist/')) return undefined;
      const resolved = await this.resolve(imported, importer, { skipSelf: true });
      const kind = resolved && intersector.exec(resolved.id.replaceAll('\\', '/'))?.[1];
      return kind ? `\0holoroom-xr-${kind}-intersector` : undefined;
    },
    load(id) {
      const kind = /^\0holoroom-xr-(sphere|lines)-intersector$/.exec(id)?.[1];
      if (!kind) return undefined;
      const name = stubs[kind];
      return `export class ${name} { constructor() { throw new Error(${JSON.stringify(`${name} ${XR_POINTER_REFUSAL}`)}); } }`;
    },
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/node_modules/@pmndrs/xr/dist/teleport.js')) return undefined;
      if (!teleportLine.test(code)) {
        this.error('@pmndrs/xr changed createTeleportRayLine (teleport.js): update withoutUnusedXRPointers (LOAD38)');
      }
      const refusal = JSON.stringify(`the teleport pointer's ray ${XR_POINTER_REFUSAL}`);
      return {
        code: code.replace(
          teleportLine,
          () => `export function createTeleportRayLine() { throw new Error(${refusal}); }\n`,
        ),
        map: null,
      };
    },
  };
}

/**
 * @react-three/xr, @pmndrs/xr, @pmndrs/pointer-events and meshline declare no
 * `sideEffects` in their package.json, so the bundler keeps every module their
 * index files re-export: the teleport pointer's line (meshline), WebXR layers,
 * the DOM overlay, plane and mesh detection, hit testing, anchors, the v5
 * compatibility layer. Their modules only declare classes and functions (the
 * one exception, pointer-events' `pointer.js`, patches Object3D's pointer
 * capture methods and keeps its side effects), so they are marked free of
 * side effects here and what the app does not import drops out of the XR
 * chunk (docs/performance.md LOAD29).
 */
const XR_MODULES_WITHOUT_SIDE_EFFECTS =
  /\/node_modules\/(@react-three\/xr|@pmndrs\/xr|@pmndrs\/pointer-events|meshline)\/dist\/(?!pointer\.js$)/;
function xrLibrariesWithoutSideEffects(): Plugin {
  return {
    name: 'holoroom:xr-libraries-without-side-effects',
    transform: {
      filter: { id: XR_MODULES_WITHOUT_SIDE_EFFECTS },
      handler: () => ({ moduleSideEffects: false }),
    },
  };
}

/**
 * lib0's `dom.js` (its logging imports it, and Yjs its logging) makes four
 * DOM-node schemas at its top level with `$.$custom(...)`. A bundler keeps a
 * call it cannot prove free of side effects, and with it the whole of lib0's
 * schema module (about 2.3 KB gzip) that nothing the room runs uses. The call
 * only makes an object (`new $Custom(check)`), so those four are marked pure
 * here and drop with the schema module (docs/performance.md LOAD17; the budget
 * test fails if a room's first scripts hold the schema module again).
 */
function lib0DomSchemasPure(): Plugin {
  return {
    name: 'holoroom:lib0-dom-schemas-pure',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/node_modules/lib0/dom.js')) return undefined;
      return { code: code.replaceAll('= $.$custom(', () => '= /* @__PURE__ */ $.$custom('), map: null };
    },
  };
}

/** The PNG icons, drawn at build time by scripts/pwa-icons.mjs (never committed). */
function projectIcons(): Plugin {
  let icons: ReturnType<typeof generateIcons> | undefined;
  const all = () => {
    icons ??= generateIcons();
    return icons;
  };
  return {
    name: 'holoroom:pwa-icons',
    generateBundle() {
      for (const { fileName, source } of all()) this.emitFile({ type: 'asset', fileName, source });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const icon = all().find(({ fileName }) => req.url === `/${fileName}`);
        if (!icon) return next();
        res.setHeader('Content-Type', 'image/png');
        res.end(icon.source);
      });
    },
  };
}

let appLogLevel: LogLevel = 'info';
const rememberBuildSettings: Plugin = {
  name: 'holoroom:remember-build-settings',
  configResolved(config) {
    appLogLevel = config.logLevel ?? 'info';
  },
};
/** The precache list without on-demand code, which is cached on first use (PWA13). */
function withoutOnDemandChunks<T extends { url: string }>(entries: T[]) {
  return { manifest: entries.filter((entry) => !isOnDemandCode(`/${entry.url}`)), warnings: [] };
}

const description = 'Shared 3D rooms you open with a link, in a headset, on a laptop or a phone.';

// The app is built into build/app and served by server/ (one process, one port).
export default defineConfig({
  plugins: [
    react(),
    // three's source modules, so lazy chunks take the classes only they use (docs/performance.md LOAD6).
    threeFromSource(),
    // Without what no room runs of it: its JSON export, the shaders of materials a room never makes, the
    // renderer's methods nothing calls, the PMREM generator (docs/performance.md LOAD35-LOAD37, LOAD39).
    threeWithoutJSON(),
    threeWithoutUnusedShaders(),
    threeWithoutPhysicalOnlyShaders(),
    threeRendererWithoutUnusedMethods(),
    threeWithoutPMREM(),
    withoutBuiltinXREmulator(),
    xrLibrariesWithoutSideEffects(),
    withoutLibraryTeleportLine(),
    withoutUnusedXRPointers(),
    xrLibraryGltfLoader(),
    // R3F and the DOM renderer on one react-reconciler, and no React DOM (docs/performance.md LOAD27-LOAD28).
    oneReconciler(),
    lib0DomSchemasPure(),
    // The physics engine's glue and WebAssembly as two files, one copy for the worker and the page (LOAD23).
    rapierAsFiles(),
    projectIcons(),
    rememberBuildSettings,
    // docs/pwa.md: our own worker (service-worker/sw.ts), Workbox inside, the
    // precache list injected at build time; the page registers it (app/pwa/).
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'service-worker',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Holoroom',
        short_name: 'Holoroom',
        description,
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: THEME_COLOR,
        background_color: THEME_COLOR,
        icons: [
          ...PWA_ICONS.map(({ fileName, size, purpose }) => ({
            src: `/${fileName}`,
            sizes: `${size}x${size}`,
            type: 'image/png',
            purpose,
          })),
          { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      injectManifest: {
        // One brace pattern: Workbox warns about any pattern matching nothing,
        // and public/scenes/ may not exist in every checkout.
        globPatterns: [`{${PRECACHE_PATTERNS.join(',')}}`],
        globIgnores: [...PRECACHE_IGNORES],
        // Vite's hashed file names are their own revision.
        dontCacheBustURLsMatching: /^assets\//,
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        manifestTransforms: [withoutOnDemandChunks],
        // A classic worker script: module service workers are not everywhere yet.
        rollupFormat: 'iife',
      },
      integration: {
        // The worker's own Vite build follows the app build's verbosity.
        configureCustomSWViteBuild(inlineConfig) {
          inlineConfig.logLevel = appLogLevel;
        },
      },
    }),
  ],
  // Module workers: the physics worker imports the engine's glue (assets/rapier-*.js) by its URL, which
  // only a module worker can; the service worker caches it and its .wasm on first use (PWA13). The
  // workers' builds take only the plugins listed here: the engine's files are the page's (LOAD23).
  worker: { format: 'es', plugins: () => [rapierAsFiles()] },
  publicDir: 'public',
  resolve: {
    // iwer's optional dev packages bring their own three; one copy only.
    dedupe: ['three'],
    // y-webrtc's peer connections on the browser's RTCPeerConnection, without simple-peer's
    // Node polyfills (app/sync/webrtc-peer.ts, docs/performance.md LOAD5).
    alias: [
      {
        find: /^simple-peer\/simplepeer\.min\.js$/,
        replacement: fileURLToPath(new URL('./app/sync/webrtc-peer.ts', import.meta.url)),
      },
      // zustand (R3F's store) takes useSyncExternalStore through a shim for React before 18; React's own
      // is used instead (docs/performance.md LOAD22).
      {
        find: /^use-sync-external-store\/shim\/with-selector(\.js)?$/,
        replacement: 'use-sync-external-store/with-selector.js',
      },
      // Yjs from its source modules, as three (LOAD6): its prebuilt file is one module, so the undo
      // manager and the other parts only the editor uses came with the room (docs/performance.md LOAD21).
      { find: /^yjs$/, replacement: 'yjs/src/index.js' },
    ],
  },
  build: {
    outDir: 'build/app',
    emptyOutDir: true,
    target: 'es2022',
    // Every browser the target reaches preloads modules itself; Vite's polyfill for the others is left out (LOAD22).
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    // bench/bundle.bench.ts reads the manifest to tell initial from lazy JavaScript.
    manifest: true,
    rolldownOptions: {
      output: {
        chunkFileNames: chunkFileName,
        // The three classes a room shares with its lazy chunks, in one chunk (docs/performance.md LOAD18).
        codeSplitting: { groups: [roomSharedThreeGroup()] },
      },
    },
  },
  server: {
    proxy: {
      '/signal': { target: 'ws://localhost:8080', ws: true },
      '/sync': { target: 'ws://localhost:8080', ws: true },
      '/config.json': 'http://localhost:8080',
      '/api': 'http://localhost:8080',
      '/xr-profiles': 'http://localhost:8080',
    },
  },
});
