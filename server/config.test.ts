import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';
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
