/**
 * Server configuration from environment variables. Every variable is optional;
 * a malformed one stops the server with a message naming it (see README's table).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type IceSettings, parseIceServers } from './ice-config.ts';
import type { LogLevel } from './log.ts';

export interface ServerConfig {
  host: string;
  port: number;
  /** Built app to serve (Vite output). */
  staticDir: string;
  /** Where rooms are persisted. */
  dataDir: string;
  https?: { cert: Buffer; key: Buffer };
  ice: IceSettings;
  logLevel: LogLevel;
  /** Limits an operator sets (docs/security.md); tests may leave them out for the defaults. */
  security?: Partial<SecuritySettings>;
  /** `REDIS_URL`: cluster mode (docs/scaling.md). Unset: one process with SQLite. */
  redisUrl?: string;
}

/** The hardening settings of docs/security.md, one environment variable each. */
export interface SecuritySettings {
  /** SEC18 `ALLOWED_ORIGINS`: origins besides the server's own whose pages may open WebSockets. */
  allowedOrigins: string[];
  /** SEC19 `TRUST_PROXY`: take the client address from the last `X-Forwarded-For` entry. */
  trustProxy: boolean;
  /** SEC19 `MAX_SOCKETS_PER_ADDRESS`: open WebSockets per address (IPv6: per /64). */
  maxSocketsPerAddress: number;
  /** SEC7 `SYNC_WORKERS`: worker threads that hold rooms, each a shard of them. */
  syncWorkers: number;
  /** SEC7 `SYNC_WORK_TIMEOUT_MS`: longest one message may occupy a shard before it is restarted. */
  syncWorkTimeoutMs: number;
  /** SEC11 `MEMORY_BUDGET_MB`: memory all live rooms may take together (estimated). */
  memoryBudgetBytes: number;
  /** SEC10/SEC12 `ROOM_MAX_MB`: what one room may hold, in memory and on disk. */
  roomMaxBytes: number;
  /** SEC12 `DISK_QUOTA_MB`: what all stored rooms may take together. */
  diskQuotaBytes: number;
  /** SEC13 `ROOM_RETENTION_DAYS`: rooms untouched this long are removed (0 keeps them forever). */
  roomRetentionDays: number;
}

const MB = 1024 * 1024;

export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
  allowedOrigins: [],
  trustProxy: false,
  maxSocketsPerAddress: 256,
  syncWorkers: 2,
  syncWorkTimeoutMs: 3_000,
  memoryBudgetBytes: 512 * MB,
  roomMaxBytes: 32 * MB,
  diskQuotaBytes: 4096 * MB,
  roomRetentionDays: 180,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function readFile(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(`${name}: cannot read ${file}: ${(error as Error).message}`);
  }
}

/**
 * The repository root: the nearest folder above this file that holds `package.json`. The bundle
 * runs from build/server/ (two levels down) and the source from server/ (one level down); a fixed
 * number of levels put the default data folder outside the checkout when run from source.
 */
export function repositoryRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..');
  }
}

/** LOOP_DELAY_REPORT_MS: the interval of the event-loop delay lines (server/loop-delay.ts); 0, the default, is off. */
export function readLoopDelayReportMs(env: NodeJS.ProcessEnv): number {
  return integer(env, 'LOOP_DELAY_REPORT_MS', 0, 0, 60_000);
}

/**
 * @param env   usually `process.env`
 * @param root  repository root, for the default static and data directories
 */
export function readConfig(env: NodeJS.ProcessEnv, root: string): ServerConfig {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || 'localhost';

  let https: ServerConfig['https'];
  if (env.HTTPS_CERT || env.HTTPS_KEY) {
    if (!env.HTTPS_CERT || !env.HTTPS_KEY) {
      throw new ConfigError('HTTPS needs both HTTPS_CERT and HTTPS_KEY (paths to PEM files)');
    }
    https = { cert: readFile('HTTPS_CERT', env.HTTPS_CERT), key: readFile('HTTPS_KEY', env.HTTPS_KEY) };
  }

  const ice: IceSettings = { static: [] };
  if (env.ICE_SERVERS) {
    const parsed = parseIceServers(env.ICE_SERVERS);
    if (!parsed.ok) throw new ConfigError(parsed.error);
    ice.static = parsed.value;
  }
  if (env.TURN_URL || env.TURN_SECRET) {
    if (!env.TURN_URL || !env.TURN_SECRET) {
      throw new ConfigError('TURN credentials need both TURN_URL and TURN_SECRET');
    }
    const urls = env.TURN_URL.split(',').map((u) => u.trim());
    if (!urls.every((u) => /^turns?:\S+$/.test(u))) {
      throw new ConfigError('TURN_URL must be turn: or turns: URLs separated by commas');
    }
    ice.turn = { urls, secret: env.TURN_SECRET, ttlSeconds: integer(env, 'TURN_TTL', 3_600, 60, 604_800) };
  }

  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const defaults = DEFAULT_SECURITY_SETTINGS;
  const allowedOrigins = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of allowedOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `ALLOWED_ORIGINS must be origins like https://example.org separated by commas, got "${origin}"`,
      );
    }
  }
  const trustProxy = env.TRUST_PROXY ?? '';
  if (!['', '0', '1'].includes(trustProxy)) throw new ConfigError('TRUST_PROXY must be 0 or 1');
  const security: SecuritySettings = {
    allowedOrigins,
    trustProxy: trustProxy === '1',
    maxSocketsPerAddress: integer(env, 'MAX_SOCKETS_PER_ADDRESS', defaults.maxSocketsPerAddress, 1, 100_000),
    syncWorkers: integer(env, 'SYNC_WORKERS', defaults.syncWorkers, 1, 64),
    syncWorkTimeoutMs: integer(env, 'SYNC_WORK_TIMEOUT_MS', defaults.syncWorkTimeoutMs, 100, 600_000),
    memoryBudgetBytes: integer(env, 'MEMORY_BUDGET_MB', defaults.memoryBudgetBytes / MB, 1, 1_000_000) * MB,
    roomMaxBytes: integer(env, 'ROOM_MAX_MB', defaults.roomMaxBytes / MB, 1, 4_096) * MB,
    diskQuotaBytes: integer(env, 'DISK_QUOTA_MB', defaults.diskQuotaBytes / MB, 1, 100_000_000) * MB,
    roomRetentionDays: integer(env, 'ROOM_RETENTION_DAYS', defaults.roomRetentionDays, 0, 36_500),
  };

  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${redisUrl}"`);
  }

  return {
    host,
    port,
    security,
    ...(redisUrl ? { redisUrl } : {}),
    staticDir: path.resolve(root, env.STATIC_DIR || 'build/app'),
    dataDir: path.resolve(root, env.DATA_DIR || 'data'),
    ...(https ? { https } : {}),
    ice,
    logLevel,
  };
}
