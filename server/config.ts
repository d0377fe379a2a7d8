/**
 * Server configuration from environment variables. Every variable is optional;
 * a malformed one stops the server with a message naming it (see README's table).
 */
import { readFileSync } from 'node:fs';
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
}

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
    ice.turn = { urls, secret: env.TURN_SECRET, ttlSeconds: integer(env, 'TURN_TTL', 86_400, 60, 604_800) };
  }

  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }

  return {
    host,
    port,
    staticDir: path.resolve(root, env.STATIC_DIR || 'build/app'),
    dataDir: path.resolve(root, env.DATA_DIR || 'data'),
    ...(https ? { https } : {}),
    ice,
    logLevel,
  };
}
