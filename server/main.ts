/**
 * Entry point: `node build/server/main.js` (what `npm start` runs).
 * Reads the environment, starts the server, prints the URL and a room link,
 * and shuts down gracefully on SIGTERM/SIGINT.
 */
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRoomId, roomPath } from '../app/core/room-id.ts';
import { startServer } from './app.ts';
import { ConfigError, readConfig, readLoopDelayReportMs, repositoryRoot } from './config.ts';
import { createLogger } from './log.ts';
import { reportLoopDelay } from './loop-delay.ts';

const ROOT = repositoryRoot(path.dirname(fileURLToPath(import.meta.url)));
/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && info.family === 'IPv4' && !info.internal)
    .map((info) => info?.address ?? '');
}

/** A plain sentence for the ways binding the port fails, or undefined for anything else. */
function listenErrorMessage(error: unknown, host: string, port: number): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE')
    return `Cannot listen on ${host}:${port}: the port is in use (another Holoroom?). Stop it or set PORT to a free port.`;
  if (code === 'EACCES')
    return `Cannot listen on ${host}:${port}: permission denied (ports below 1024 need privileges). Set PORT to 1024 or above.`;
  if (code === 'EADDRNOTAVAIL')
    return `Cannot listen on ${host}:${port}: this machine has no such address. Set HOST to one of its addresses, or 0.0.0.0.`;
  return undefined;
}

async function main(): Promise<void> {
  let config: ReturnType<typeof readConfig>;
  let loopDelayReportMs: number;
  try {
    config = readConfig(process.env, ROOT);
    loopDelayReportMs = readLoopDelayReportMs(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    const message = listenErrorMessage(error, config.host, config.port);
    if (!message) throw error;
    console.error(message);
    process.exit(2);
  }
  const scheme = config.https ? 'https' : 'http';
  const shownHost = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
  const base = `${scheme}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${server.port}`;
  if (loopDelayReportMs > 0) reportLoopDelay(loopDelayReportMs, (line) => process.stdout.write(line));
  console.log(`Holoroom listening on ${server.url}`);
  console.log(`Open:            ${base}/`);
  console.log(`Share this room: ${base}${roomPath(createRoomId())}`);
  if (['0.0.0.0', '::'].includes(config.host)) {
    for (const address of lanAddresses()) console.log(`On your LAN:     ${scheme}://${address}:${server.port}/`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info('server', `${signal}: shutting down`);
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
