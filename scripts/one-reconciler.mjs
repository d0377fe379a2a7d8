// One React reconciler in the app, and no React DOM (docs/performance.md LOAD27-LOAD28).
//
// The room's canvas renders with R3F, whose build carries its own copy of
// `react-reconciler` inline (its `dist/events-*.esm.js`); the panels and the
// start page render with our DOM renderer (app/ui/dom-renderer/) on the same
// package, which R3F also ships as a module of its own
// (`@react-three/fiber/react-reconciler/index.js`). Here the app's build
// replaces R3F's inline copy by an import of that module, so both renderers
// share one chunk of it, and refuses `react-dom`: the one library that still
// imports it, @react-three/xr's DOM overlay (`XRDomOverlay`, which the app
// does not use), gets the DOM renderer's `createRoot` instead.
//
// Node built-ins only, like the rest of scripts/; vite.config.ts uses it.
import { fileURLToPath } from 'node:url';

/** The module both renderers import. */
export const RECONCILER_MODULE = '@react-three/fiber/react-reconciler/index.js';
const DOM_RENDERER = fileURLToPath(new URL('../app/ui/dom-renderer/index.ts', import.meta.url));

/** R3F's bundle of its renderer, with the reconciler inline. */
const R3F_EVENTS = /\/node_modules\/@react-three\/fiber\/dist\/events-[\w]+\.esm\.js$/;

/**
 * The inline copy, as R3F's bundler wrote it: Babel's interop helper
 * `function $1(Ut) { return Ut && Ut.__esModule && ... ? Ut.default : Ut; }`,
 * the production and development builds, and `const Z1 = $1(J1);`, the
 * factory R3F's `createReconciler` calls. The names change between releases;
 * the shape is what is matched.
 */
const INTEROP_HELPER =
  /function ([\w$]+)\(([\w$]+)\) \{\n\s*return \2 && \2\.__esModule && Object\.prototype\.hasOwnProperty\.call\(\2, "default"\) \? \2\.default : \2;\n\}/g;

/**
 * R3F's events module with its inline reconciler replaced by an import of
 * the shared one. Throws when the shape is not found: a new R3F release must
 * be looked at, not shipped with two reconcilers.
 * @param {string} code
 * @param {string} id
 * @returns {string}
 */
export function withSharedReconciler(code, id) {
  for (const helper of code.matchAll(INTEROP_HELPER)) {
    const start = helper.index;
    const helperName = /** @type {string} */ (helper[1]);
    const factory = new RegExp(`const ([\\w$]+) = ${helperName.replaceAll('$', '\\$')}\\([\\w$]+\\);`).exec(
      code.slice(start),
    );
    if (!factory) continue;
    const end = start + factory.index + factory[0].length;
    const inline = code.slice(start, end);
    if (!inline.includes('react-reconciler.production.js') || !inline.includes('react-reconciler.development.js')) {
      continue;
    }
    return `${code.slice(0, start)}import ${/** @type {string} */ (factory[1])} from '${RECONCILER_MODULE}';${code.slice(end)}`;
  }
  throw new Error(
    `${id}: R3F's inline react-reconciler was not found. @react-three/fiber changed its build; ` +
      'update scripts/one-reconciler.mjs so the app keeps one reconciler (LOAD27)',
  );
}

/**
 * The Vite plugin: R3F on the shared reconciler, `react-dom` refused (LOAD27, LOAD28).
 * @returns {import('vite').Plugin}
 */
export function oneReconciler() {
  return {
    name: 'holoroom:one-reconciler',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== 'react-dom' && !source.startsWith('react-dom/')) return undefined;
      const from = importer?.replaceAll('\\', '/') ?? '';
      if (source === 'react-dom/client' && from.includes('/node_modules/@react-three/xr/dist/')) return DOM_RENDERER;
      this.error(
        `${from || 'the app'} imports ${source}: React DOM is not part of the app. ` +
          'Render DOM with app/ui/dom-renderer (docs/architecture.md, DOM1; docs/performance.md LOAD28)',
      );
    },
    transform(code, id) {
      if (!R3F_EVENTS.test(id.replaceAll('\\', '/').split('?')[0] ?? '')) return undefined;
      return { code: withSharedReconciler(code, id), map: null };
    },
  };
}
