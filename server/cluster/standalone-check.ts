/**
 * Run as `node --import tsx server/cluster/standalone-check.ts [redis-url]`:
 * starts the server (in cluster mode when a URL is given), prints which
 * Redis client modules the process loaded as one JSON line, and stops.
 * The CL1 test reads it: without REDIS_URL the list must be empty.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../app.ts';
import { createLogger } from '../log.ts';

const redisUrl = process.argv[2];
const server = await startServer(
  {
    host: '127.0.0.1',
    port: 0,
    staticDir: mkdtempSync(path.join(tmpdir(), 'holoroom-static-')),
    dataDir: mkdtempSync(path.join(tmpdir(), 'holoroom-data-')),
    ice: { static: [] },
    logLevel: 'error',
    security: { syncWorkers: 1 },
    ...(redisUrl ? { redisUrl } : {}),
  },
  createLogger('error'),
);
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) =>
  /[/\\](ioredis|redis)[/\\]/.test(file),
);
console.log(JSON.stringify(loaded.map((file) => path.relative(process.cwd(), file))));
await server.close();
process.exit(0);
