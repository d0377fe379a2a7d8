// Starts a TypeScript worker when the server runs from source (tests, benchmarks):
// registers tsx in the worker thread, then imports the module it was given.
// The built server (build/server/) starts its bundled .js worker directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
