/**
 * Which code may import which (docs/architecture.md, "Dependency rules"),
 * checked by `npm test` (suite `deps`). Test files (`*.test.ts`) may reach
 * anything; production code follows the rules below.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
const TEST = '\\.test\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-test-support-in-app',
      comment: 'The app never imports test support, tools, the server, browser tests or benchmarks.',
      severity: 'error',
      from: { path: '^(app|service-worker)/', pathNot: TEST },
      to: { path: '^(testing|tools|server|e2e|bench|scripts)/' },
    },
    {
      name: 'server-uses-plain-app-parts-only',
      comment: 'The server shares plain code with the app (ids, the document gate, wire formats), never its pages.',
      severity: 'error',
      from: { path: '^server/', pathNot: `${TEST}|^server/test/` },
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
      comment: 'Everything outside ui/, render/ and xr/ is plain TypeScript a Node test can import.',
      severity: 'error',
      from: { path: '^app/', pathNot: `^app/(ui|render|xr)/|^app/main\\.tsx$` },
      to: { path: 'node_modules/(react|react-dom|@react-three)/' },
    },
    {
      name: 'no-circular',
      comment: 'Files that import each other in a loop.',
      severity: 'error',
      from: { path: '^(app|server|service-worker|testing|tools)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
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
    exclude: { path: '^(node_modules|build|target)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
