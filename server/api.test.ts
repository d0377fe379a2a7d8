import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TURN_CREDENTIALS_PER_MINUTE } from './api.ts';
import { startTestServer, type TestServer } from './test/helpers.ts';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

describe('/config.json', () => {
  it('lists no ICE servers by default', async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ iceServers: [] });
  });

  it('[SEC21] adds short-lived TURN credentials, unique per request, that a TURN server with the shared secret accepts', async () => {
    server = await startTestServer({
      ice: {
        static: [{ urls: 'stun:stun.example.test:3478' }],
        turn: { urls: ['turn:turn.example.test:3478'], secret: 's3cret', ttlSeconds: 3600 },
      },
    });
    const before = Math.floor(Date.now() / 1000);
    const { iceServers } = (await (await fetch(`${server.url}/config.json`)).json()) as {
      iceServers: { urls: string | string[]; username?: string; credential?: string }[];
    };
    expect(iceServers[0]).toEqual({ urls: 'stun:stun.example.test:3478' });
    const turn = iceServers[1];
    const [expiry, user] = (turn?.username ?? '').split(':');
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 3600);
    expect(Number(expiry)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
    expect(user).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(turn?.credential).toBe(
      createHmac('sha1', 's3cret')
        .update(turn?.username ?? '')
        .digest('base64'),
    );
    // Every request gets its own user name: none is shared by everyone.
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const body = (await (await fetch(`${server.url}/config.json`)).json()) as { iceServers: { username?: string }[] };
      names.add(body.iceServers[1]?.username ?? '');
    }
    expect(names.size).toBe(5);
  });

  it('[SEC21] hands one address at most TURN_CREDENTIALS_PER_MINUTE credentials, then the config without TURN', async () => {
    server = await startTestServer({
      ice: { static: [], turn: { urls: ['turn:turn.example.test:3478'], secret: 's3cret', ttlSeconds: 3600 } },
    });
    const counts: number[] = [];
    for (let i = 0; i < TURN_CREDENTIALS_PER_MINUTE + 2; i++) {
      const body = (await (await fetch(`${server.url}/config.json`)).json()) as { iceServers: unknown[] };
      counts.push(body.iceServers.length);
    }
    expect(counts.slice(0, TURN_CREDENTIALS_PER_MINUTE).every((n) => n === 1)).toBe(true);
    expect(counts.slice(TURN_CREDENTIALS_PER_MINUTE)).toEqual([0, 0]);
  });
});

describe('room codes over HTTP', () => {
  it('issues a code for a room and resolves it back', async () => {
    server = await startTestServer();
    const issued = await fetch(`${server.url}/api/rooms/abcdefghjkmnpqrs/code`, { method: 'POST' });
    const { code } = (await issued.json()) as { code: string };
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    const lookup = await fetch(`${server.url}/api/codes/${code.toLowerCase()}`);
    expect(await lookup.json()).toEqual({ room: 'abcdefghjkmnpqrs' });
  });

  it('rejects bad room ids, unknown codes, wrong methods and malformed escapes', async () => {
    server = await startTestServer();
    expect((await fetch(`${server.url}/api/rooms/bad!id/code`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${server.url}/api/rooms/abcdefghjkmnpqrs/code`)).status).toBe(405);
    expect((await fetch(`${server.url}/api/codes/ZZZZZZ`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/codes/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${server.url}/api/unknown`)).status).toBe(404);
  });

  it('[CODE2] rate-limits lookups per address with 429', async () => {
    server = await startTestServer({ roomCodes: { lookupsPerMinute: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${server.url}/api/codes/ZZZZZZ`)).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
  });
});
