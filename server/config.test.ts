import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SECURITY_SETTINGS, readConfig, repositoryRoot } from './config.ts';
import { parseIceServers } from './ice-config.ts';

const ROOT = '/srv/holoroom';

describe('server configuration from the environment', () => {
  it('defaults to localhost:8080, no ICE servers, build/app and data/', () => {
    const config = readConfig({}, ROOT);
    expect(config).toMatchObject({ host: 'localhost', port: 8080, logLevel: 'info', ice: { static: [] } });
    expect(config.staticDir).toBe(path.join(ROOT, 'build/app'));
    expect(config.dataDir).toBe(path.join(ROOT, 'data'));
    expect(config.https).toBeUndefined();
  });

  it('finds the repository root from the source (server/) and from the bundle (build/server/)', () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'holoroom-root-'));
    writeFileSync(path.join(repo, 'package.json'), '{}');
    mkdirSync(path.join(repo, 'server'));
    mkdirSync(path.join(repo, 'build', 'server'), { recursive: true });
    expect(repositoryRoot(path.join(repo, 'server'))).toBe(repo);
    expect(repositoryRoot(path.join(repo, 'build', 'server'))).toBe(repo);
    expect(readConfig({}, repositoryRoot(path.join(repo, 'server'))).dataDir).toBe(path.join(repo, 'data'));
  });

  it('reads PORT, HOST, DATA_DIR, STATIC_DIR, LOG_LEVEL', () => {
    const config = readConfig(
      { PORT: '0', HOST: '0.0.0.0', DATA_DIR: '/var/x', STATIC_DIR: 'dist', LOG_LEVEL: 'warn' },
      ROOT,
    );
    expect(config).toMatchObject({ port: 0, host: '0.0.0.0', dataDir: '/var/x', logLevel: 'warn' });
    expect(config.staticDir).toBe(path.join(ROOT, 'dist'));
  });

  it('names the variable in every error', () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ PORT: 'eighty' }, /PORT must be an integer/],
      [{ PORT: '70000' }, /PORT/],
      [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
      [{ HTTPS_CERT: '/x.pem' }, /HTTPS_CERT and HTTPS_KEY/],
      [{ HTTPS_CERT: '/nope.pem', HTTPS_KEY: '/nope.key' }, /HTTPS_CERT: cannot read/],
      [{ ICE_SERVERS: '{' }, /ICE_SERVERS is not valid JSON/],
      [{ TURN_URL: 'turn:x' }, /TURN_URL and TURN_SECRET/],
      [{ TURN_URL: 'http://x', TURN_SECRET: 's' }, /TURN_URL must be turn:/],
      [{ TURN_URL: 'turn:x', TURN_SECRET: 's', TURN_TTL: '5' }, /TURN_TTL/],
    ];
    for (const [env, message] of cases) {
      expect(() => readConfig(env, ROOT)).toThrow(ConfigError);
      expect(() => readConfig(env, ROOT)).toThrow(message);
    }
  });

  it('loads HTTPS key and certificate files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'holoroom-tls-'));
    writeFileSync(path.join(dir, 'c.pem'), 'CERT');
    writeFileSync(path.join(dir, 'k.pem'), 'KEY');
    const config = readConfig({ HTTPS_CERT: path.join(dir, 'c.pem'), HTTPS_KEY: path.join(dir, 'k.pem') }, ROOT);
    expect(config.https?.cert.toString()).toBe('CERT');
  });
});

describe('hardening settings (docs/security.md)', () => {
  it('reads every setting, in megabytes and days where it says so', () => {
    const config = readConfig(
      {
        ALLOWED_ORIGINS: 'https://a.example, http://b.example:8080',
        TRUST_PROXY: '1',
        MAX_SOCKETS_PER_ADDRESS: '10',
        SYNC_WORKERS: '3',
        SYNC_WORK_TIMEOUT_MS: '500',
        MEMORY_BUDGET_MB: '64',
        ROOM_MAX_MB: '4',
        DISK_QUOTA_MB: '100',
        ROOM_RETENTION_DAYS: '0',
      },
      ROOT,
    );
    expect(config.security).toEqual({
      allowedOrigins: ['https://a.example', 'http://b.example:8080'],
      trustProxy: true,
      maxSocketsPerAddress: 10,
      syncWorkers: 3,
      syncWorkTimeoutMs: 500,
      memoryBudgetBytes: 64 * 1024 * 1024,
      roomMaxBytes: 4 * 1024 * 1024,
      diskQuotaBytes: 100 * 1024 * 1024,
      roomRetentionDays: 0,
    });
    expect(readConfig({}, ROOT).security).toEqual(DEFAULT_SECURITY_SETTINGS);
    expect(() => readConfig({ ALLOWED_ORIGINS: 'evil.example' }, ROOT)).toThrow(/ALLOWED_ORIGINS must be origins/);
    expect(() => readConfig({ TRUST_PROXY: 'yes' }, ROOT)).toThrow(/TRUST_PROXY must be 0 or 1/);
    expect(() => readConfig({ SYNC_WORKERS: '0' }, ROOT)).toThrow(/SYNC_WORKERS/);
  });

  it('every variable the server reads is in the README configuration table', () => {
    const source = readFileSync(path.join(import.meta.dirname, 'config.ts'), 'utf8');
    const names = new Set([...source.matchAll(/env(?:\.|, ')([A-Z][A-Z_]+)/g)].map((m) => m[1]));
    const rows = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(names.size).toBeGreaterThan(15);
    for (const name of names) {
      expect(
        rows.some((row) => row.split('|')[1]?.includes(`\`${name}\``)),
        `README lacks ${name}`,
      ).toBe(true);
    }
  });
});

describe('ICE_SERVERS', () => {
  it('accepts RTCIceServer objects with stun/turn URLs', () => {
    const parsed = parseIceServers(
      JSON.stringify([{ urls: 'stun:a.test:3478' }, { urls: ['turn:b.test'], username: 'u', credential: 'c' }]),
    );
    expect(parsed).toEqual({
      ok: true,
      value: [{ urls: 'stun:a.test:3478' }, { urls: ['turn:b.test'], username: 'u', credential: 'c' }],
    });
  });

  it('rejects non-arrays, bad URLs and non-string credentials with the entry index', () => {
    expect(parseIceServers('{}')).toEqual({ ok: false, error: 'ICE_SERVERS must be a JSON array' });
    expect(parseIceServers('[{"urls":"http://x"}]')).toMatchObject({ ok: false, error: /ICE_SERVERS\[0\]\.urls/ });
    expect(parseIceServers('[{"urls":"stun:x"},{"urls":"stun:y","username":5}]')).toMatchObject({
      ok: false,
      error: /ICE_SERVERS\[1\]\.username/,
    });
    expect(parseIceServers('[null]')).toMatchObject({ ok: false });
  });
});
