/**
 * Which code may import which (docs/architecture.md, "Dependency rules"),
 * checked by `npm test` (suite `deps`). Test files (`*.test.ts`) are left out:
 * a test may reach anything, and nothing imports a test.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

/**
 * The app's layers. Each row: a folder (its own files, and its sub-folders
 * that have no row of their own), then what it may import besides itself.
 * A folder may always import its own sub-folders; a sub-folder names the
 * parent files it uses. Read from the bottom up, each folder only reaches
 * down: core is plain shared code, ui is the top.
 */
const LAYERS = {
  'app/core': [],
  'app/pwa': ['app/core'],

  'app/sync/doc': ['app/core'],
  'app/sync/gate': ['app/core', 'app/sync/doc', 'app/sync/y-webrtc-internals.ts'],
  'app/sync': ['app/core'],

  'app/pose/wire': ['app/core'],
  'app/pose/send': ['app/core', 'app/pose/wire'],
  'app/pose/transports': ['app/core', 'app/pose/wire', 'app/sync/y-webrtc-internals.ts'],
  'app/pose/receive': ['app/core', 'app/pose/wire', 'app/pose/send', 'app/pose/transports'],
  'app/pose': ['app/core'],

  'app/scene/syntax': [],
  'app/scene/parser': ['app/scene/syntax', 'app/pwa'],
  'app/scene/model': ['app/core', 'app/scene/syntax', 'app/sync/doc'],
  'app/scene/interpreter': ['app/core', 'app/scene/syntax', 'app/scene/model', 'app/sync/doc'],
  'app/scene/runtime': [
    'app/core',
    'app/scene/syntax',
    'app/scene/model',
    'app/scene/interpreter',
    'app/sync/doc',
    'app/sync/room-session.ts',
  ],

  'app/editor': ['app/scene/syntax', 'app/sync/doc', 'app/sync/room-session.ts'],

  'app/interaction/move': ['app/core', 'app/scene/model'],
  'app/interaction/grab': ['app/core', 'app/interaction/pose.ts', 'app/pose/receive', 'app/sync/doc'],
  'app/interaction/input': [
    'app/core',
    'app/interaction/move',
    'app/interaction/pose.ts',
    'app/interaction/room-interaction.ts',
  ],
  'app/interaction': ['app/core', 'app/pose', 'app/scene/model', 'app/scene/runtime', 'app/sync'],

  'app/physics': [
    'app/core',
    'app/interaction/grab/ownership.ts',
    'app/interaction/pose.ts',
    'app/pose/receive',
    'app/scene/model',
    'app/sync/doc',
  ],

  'app/room': ['app/core', 'app/sync', 'app/pose', 'app/scene', 'app/interaction', 'app/physics', 'app/voice'],

  'app/voice': ['app/core', 'app/pose', 'app/scene/model'],

  'app/render': ['app/core', 'app/pose', 'app/scene', 'app/interaction', 'app/room', 'app/voice'],
  'app/xr': [],
  'app/ui': [
    'app/core',
    'app/pwa',
    'app/sync',
    'app/pose',
    'app/scene',
    'app/editor',
    'app/room',
    'app/voice',
    'app/render',
    'app/xr',
  ],
  // The entry and what it boots: a room link's two roots (LOAD14) and the start page.
  'app/boot': ['app/core', 'app/room', 'app/render', 'app/ui', 'app/xr'],
  'app/main.ts': ['app/core', 'app/boot', 'app/ui/styles.css'],
};

const literal = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isFile = (p) => /\.(tsx?|css)$/.test(p);
const prefix = (p) => (isFile(p) ? `^${literal(p)}$` : `^${literal(p)}/`);

const layerRules = Object.entries(LAYERS).map(([folder, allowed]) => {
  const ownRows = Object.keys(LAYERS).filter((other) => other.startsWith(`${folder}/`));
  return {
    name: `layer ${folder}`,
    comment: `${folder} may import: ${allowed.join(', ') || 'nothing else in app/'}.`,
    severity: 'error',
    from: { path: prefix(folder), ...(ownRows.length > 0 ? { pathNot: ownRows.map(prefix) } : {}) },
    to: { path: '^app/', pathNot: [prefix(folder), ...allowed.map(prefix)] },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'every app file has a layer',
      severity: 'error',
      from: { path: '^app/', pathNot: Object.keys(LAYERS).map(prefix) },
      to: {},
    },
    {
      name: 'no-test-support-in-app',
      comment: 'The app never imports test support, tools, the server, browser tests or benchmarks.',
      severity: 'error',
      from: { path: '^(app|service-worker)/' },
      to: { path: '^(testing|tools|server|e2e|bench|scripts)/' },
    },
    {
      name: 'server-uses-plain-app-parts-only',
      comment: 'The server shares plain code with the app (ids, the document gate, wire formats), never its pages.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/test/' },
      to: { path: '^app/', pathNot: '^app/(core|sync|pose/wire)/' },
    },
    {
      name: 'service-worker-uses-pwa-only',
      severity: 'error',
      from: { path: '^service-worker/' },
      to: { path: '^app/', pathNot: '^app/pwa/' },
    },
    {
      name: 'react-only-in-views',
      comment: 'Everything outside ui/, render/, xr/ and boot/ is plain TypeScript a Node test can import.',
      severity: 'error',
      from: { path: '^app/', pathNot: '^app/(ui|render|xr|boot)/' },
      to: { path: 'node_modules/(react|react-dom|@react-three)/' },
    },
    {
      name: 'no-react-dom',
      comment:
        'The DOM renders with app/ui/dom-renderer on the reconciler R3F ships; React DOM is not part of the app (docs/performance.md LOAD28).',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: 'node_modules/react-dom/' },
    },
    {
      name: 'yjs-behind-sync',
      comment:
        'Yjs and its providers are used through app/sync (the editor binds CodeMirror to the script text); elsewhere only their types.',
      severity: 'error',
      from: { path: '^app/', pathNot: '^app/(sync|editor)/' },
      to: {
        path: 'node_modules/(yjs|y-webrtc|y-websocket|y-indexeddb|y-protocols|simple-peer)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-circular',
      comment: 'Files that import each other in a loop, type-only imports included.',
      severity: 'error',
      from: { path: '^(app|server|service-worker|testing|tools)/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'Folders that import each other in a loop. A folder contains its sub-folders, so a sub-folder using its parent is not a loop.',
      scope: 'folder',
      severity: 'error',
      from: { path: '^(app|server|service-worker|testing|tools)' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(build|target)/|\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
