import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_CONFIG, loadClientConfig, parseClientConfig, signalingUrlFor } from './client-config.ts';

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
    expect(await loadClientConfig(failing)).toMatchObject({ config: DEFAULT_CLIENT_CONFIG, warning: /unavailable/ });
    expect(await loadClientConfig(respond({}, 500))).toMatchObject({ config: { iceServers: [] }, warning: /500/ });
    expect(await loadClientConfig(respond({ iceServers: [{ urls: 'x' }] }))).toMatchObject({
      config: { iceServers: [] },
    });
    expect(await loadClientConfig(respond({ iceServers: [{ urls: 'stun:s.test' }] }))).toEqual({
      config: { iceServers: [{ urls: ['stun:s.test'] }] },
    });
  });

  it('derives the signaling URL from the page origin', () => {
    expect(signalingUrlFor({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/signal');
    expect(signalingUrlFor({ protocol: 'https:', host: 'holo.example' })).toBe('wss://holo.example/signal');
  });
});
