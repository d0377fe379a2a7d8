// SEC18-SEC21: the edges. Origins, addresses, room codes and TURN
// credentials against the real entry point: one server with an allowed origin
// and a small per-address socket limit, one behind a (pretend) proxy with TURN.
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TURN_CREDENTIALS_PER_MINUTE } from '../api.ts';
import { logged, type ServerProcess, servedMs, socketFrom, spawnServer, upgradeStatus } from './harness.ts';

const servers: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(env);
  servers.push(server);
  return server;
}

function withHeaders(url: string, headers: Record<string, string>): WebSocket {
  return new WebSocket(url, { headers });
}

describe('abuse: the edges', () => {
  it('[SEC18] refuses WebSocket upgrades from a foreign Origin; its own, ALLOWED_ORIGINS and none pass', async () => {
    const server = await start({ ALLOWED_ORIGINS: 'https://friend.example' });
    const host = new URL(server.url).host;
    let peer = 1;
    for (const path of ['/signal', '/sync?room=originroom01&v=1', '/relay?room=originroom01&peer=']) {
      // Each relay socket gets its own peer id: a closing socket may still hold the last one.
      const url = () => server.wsUrl(path.endsWith('=') ? `${path}${peer++}` : path);
      expect(await upgradeStatus(withHeaders(url(), { Origin: 'https://evil.example' }))).toBe(403);
      expect(await upgradeStatus(withHeaders(url(), { Origin: 'null' }))).toBe(403);
      expect(await upgradeStatus(withHeaders(url(), { Origin: `http://${host}` }))).toBe(101);
      expect(await upgradeStatus(withHeaders(url(), { Origin: 'https://friend.example' }))).toBe(101);
      expect(await upgradeStatus(new WebSocket(url()))).toBe(101);
    }
    expect(await servedMs(server)).toBeLessThan(3_000);
  });

  it('[SEC19] limits open sockets per address before any room is loaded', async () => {
    const server = await start({ MAX_SOCKETS_PER_ADDRESS: '5' });
    const held: WebSocket[] = [];
    for (let i = 0; i < 5; i++) {
      const socket = socketFrom(13, server.wsUrl(`/sync?room=socketlimit${i}0&v=1`));
      held.push(socket);
      await new Promise((resolve) => socket.once('open', resolve));
    }
    const refused = socketFrom(13, server.wsUrl('/sync?room=neverloaded01&v=1'));
    expect(await upgradeStatus(refused)).toBe(429);
    await logged(server, /too many sockets from one address address=127\.0\.0\.13/);
    expect(server.output()).not.toMatch(/neverloaded01/);
    // Another address is unaffected; closing one socket frees a place.
    expect(await upgradeStatus(socketFrom(14, server.wsUrl('/signal')))).toBe(101);
    held[0]?.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await upgradeStatus(socketFrom(13, server.wsUrl('/signal')))).toBe(101);
    for (const socket of held) socket.close();
    expect(await servedMs(server)).toBeLessThan(3_000);
  });

  it('[SEC19] [SEC20] [SEC21] behind a proxy (TRUST_PROXY=1) limits count per forwarded address, IPv6 per /64', async () => {
    const server = await start({
      TRUST_PROXY: '1',
      MAX_SOCKETS_PER_ADDRESS: '2',
      TURN_URL: 'turn:turn.example.test:3478',
      TURN_SECRET: 'abuse-secret',
    });
    const from = (address: string) => ({ 'X-Forwarded-For': `198.51.100.7, ${address}` });
    // Two addresses of one /64 share a limit; another /64 does not.
    const a = withHeaders(server.wsUrl('/signal'), from('2001:db8:1:2::1'));
    const b = withHeaders(server.wsUrl('/signal'), from('2001:db8:1:2::ffff'));
    await Promise.all([a, b].map((s) => new Promise((resolve) => s.once('open', resolve))));
    expect(await upgradeStatus(withHeaders(server.wsUrl('/signal'), from('2001:db8:1:2:abcd::9')))).toBe(429);
    expect(await upgradeStatus(withHeaders(server.wsUrl('/signal'), from('2001:db8:1:3::1')))).toBe(101);
    a.close();
    b.close();

    // Room codes: lookups from one /64 are limited together (CODE2), issuing too (CODE4).
    const lookups: number[] = [];
    for (let i = 0; i < 22; i++) {
      const response = await fetch(`${server.url}/api/codes/ZZZZZZ`, { headers: from(`2001:db8:5:5::${i + 1}`) });
      lookups.push(response.status);
    }
    expect(lookups.slice(0, 20).every((status) => status === 404)).toBe(true);
    expect(lookups.slice(20)).toEqual([429, 429]);
    const elsewhere = await fetch(`${server.url}/api/codes/ZZZZZZ`, { headers: from('203.0.113.9') });
    expect(elsewhere.status).toBe(404);
    const issues: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${server.url}/api/rooms/issuedroom${String(i).padStart(4, '0')}/code`, {
        method: 'POST',
        headers: from('203.0.113.10'),
      });
      issues.push(response.status);
    }
    expect(issues.filter((status) => status === 200)).toHaveLength(10);
    expect(issues.slice(10)).toEqual([429, 429]);

    // TURN credentials: one per request, unique, limited per address.
    const names: string[] = [];
    for (let i = 0; i < TURN_CREDENTIALS_PER_MINUTE + 1; i++) {
      const config = (await (await fetch(`${server.url}/config.json`, { headers: from('203.0.113.11') })).json()) as {
        iceServers: { username?: string }[];
      };
      names.push(config.iceServers[0]?.username ?? 'none');
    }
    expect(new Set(names.slice(0, TURN_CREDENTIALS_PER_MINUTE)).size).toBe(TURN_CREDENTIALS_PER_MINUTE);
    expect(names[TURN_CREDENTIALS_PER_MINUTE]).toBe('none');
    const fresh = (await (await fetch(`${server.url}/config.json`, { headers: from('203.0.113.12') })).json()) as {
      iceServers: { username?: string }[];
    };
    expect(fresh.iceServers[0]?.username).toMatch(/^\d+:[A-Za-z0-9_-]{12}$/);
    expect(await servedMs(server)).toBeLessThan(3_000);
  });
});
