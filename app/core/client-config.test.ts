import { describe, expect, it } from 'vitest';
import {
  configNotice,
  DEFAULT_CLIENT_CONFIG,
  loadClientConfig,
  parseClientConfig,
  signalingUrlFor,
} from './client-config.ts';

const respond = (body: unknown, status = 200): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

describe('client config', () => {
  it('accepts ICE servers with stun/turn URLs and normalises urls to arrays', () => {
    expect(parseClientConfig({ iceServers: [{ urls: 'turn:t.test', username: 'u', credential: 'c' }] })).toEqual({
      ok: true,
      config: { iceServers: [{ urls: ['turn:t.test'], username: 'u', credential: 'c' }] },
    });
  });

  it('rejects malformed configs', () => {
    expect(parseClientConfig(null)).toMatchObject({ ok: false });
    expect(parseClientConfig({ iceServers: 'x' })).toMatchObject({ ok: false });
    expect(parseClientConfig({ iceServers: [{ urls: 'https://evil.test' }] })).toMatchObject({ ok: false });
    expect(parseClientConfig({ iceServers: [{ urls: [] }] })).toMatchObject({ ok: false });
  });

  it('falls back to no ICE servers (never a public default) when the server is unreachable or wrong', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect(await loadClientConfig(failing)).toMatchObject({
      config: DEFAULT_CLIENT_CONFIG,
      problem: { kind: 'unreachable', detail: /unavailable: fetch failed/ },
    });
    expect(await loadClientConfig(respond({}, 500))).toMatchObject({
      config: { iceServers: [] },
      problem: { kind: 'invalid', detail: /500/ },
    });
    const notJson = (async () => new Response('<html>', { status: 200 })) as typeof fetch;
    expect(await loadClientConfig(notJson)).toMatchObject({ problem: { kind: 'invalid' } });
    expect(await loadClientConfig(respond({ iceServers: [{ urls: 'x' }] }))).toMatchObject({
      config: { iceServers: [] },
    });
    expect(await loadClientConfig(respond({ iceServers: [{ urls: 'stun:s.test' }] }))).toEqual({
      config: { iceServers: [{ urls: ['stun:s.test'] }] },
    });
  });

  it('[PWA11] tells people about a config problem in words, never the raw error, and nothing when offline', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(configNotice((await loadClientConfig(failing)).problem)).toBeUndefined();
    const notice = configNotice((await loadClientConfig(respond({ iceServers: 'x' }))).problem);
    expect(notice).toMatch(/connection settings could not be read/);
    expect(notice).not.toMatch(/config\.json|fetch|iceServers/i);
    expect(configNotice(undefined)).toBeUndefined();
  });

  it('derives the signaling URL from the page origin', () => {
    expect(signalingUrlFor({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/signal');
    expect(signalingUrlFor({ protocol: 'https:', host: 'holo.example' })).toBe('wss://holo.example/signal');
  });
});
