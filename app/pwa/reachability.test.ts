import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROBE_RETRY_MAX_MS, PROBE_RETRY_MIN_MS, probeServer, Reachability } from './reachability.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(initial: { server: boolean; device?: boolean }) {
  const world = { server: initial.server, device: initial.device ?? true, probes: 0, reconnects: 0 };
  const reach = new Reachability({
    probe: async () => {
      world.probes++;
      return world.server;
    },
    isDeviceOnline: () => world.device,
    onReconnect: () => {
      world.reconnects++;
    },
  });
  return { world, reach };
}

describe('Reachability', () => {
  it('[PWA8] says "server unreachable" when the probe fails at start, though the device is online', async () => {
    const { reach } = setup({ server: false });
    reach.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(reach.state.get()).toEqual({ online: false, reason: 'server-unreachable' });
    reach.stop();
  });

  it('[PWA8] says "device offline" without probing when the browser has no network', async () => {
    const { world, reach } = setup({ server: true, device: false });
    reach.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(reach.state.get()).toEqual({ online: false, reason: 'device-offline' });
    expect(world.probes).toBe(0);
    reach.stop();
  });

  it('[PWA8] retries with a doubling delay capped at the maximum, and reconnects once the server answers', async () => {
    const { world, reach } = setup({ server: false });
    reach.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(world.probes).toBe(1);
    const times: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 8; i++) {
      const before = world.probes;
      await vi.advanceTimersToNextTimerAsync();
      expect(world.probes).toBe(before + 1);
      times.push(Date.now() - start);
    }
    const gaps = times.map((t, i) => t - (times[i - 1] ?? 0));
    expect(gaps.slice(0, 4)).toEqual([1, 2, 4, 8].map((n) => n * PROBE_RETRY_MIN_MS));
    expect(Math.max(...gaps)).toBe(PROBE_RETRY_MAX_MS);

    world.server = true;
    await vi.advanceTimersToNextTimerAsync();
    expect(reach.state.get()).toEqual({ online: true });
    expect(world.reconnects).toBe(1);
    // Online: no more probes are scheduled.
    const probes = world.probes;
    await vi.advanceTimersByTimeAsync(10 * PROBE_RETRY_MAX_MS);
    expect(world.probes).toBe(probes);
    reach.stop();
  });

  it('[PWA8] a live connection counts as reachable and resets the backoff', async () => {
    const { world, reach } = setup({ server: false });
    reach.start();
    await vi.advanceTimersByTimeAsync(5 * PROBE_RETRY_MIN_MS);
    expect(reach.state.get().online).toBe(false);
    reach.serverReached();
    expect(reach.state.get()).toEqual({ online: true });
    expect(world.reconnects).toBe(1);
    const probes = world.probes;
    await vi.advanceTimersByTimeAsync(PROBE_RETRY_MAX_MS * 4);
    expect(world.probes).toBe(probes);
    reach.stop();
  });

  it('[PWA8] going offline from the device event is immediate; coming back needs a probe', async () => {
    const { world, reach } = setup({ server: true });
    reach.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(reach.state.get().online).toBe(true);
    world.device = false;
    reach.deviceOffline();
    expect(reach.state.get()).toEqual({ online: false, reason: 'device-offline' });
    world.device = true;
    await reach.checkNow();
    expect(reach.state.get()).toEqual({ online: true });
    reach.stop();
  });

  it('stops probing after stop()', async () => {
    const { world, reach } = setup({ server: false });
    reach.start();
    await vi.advanceTimersByTimeAsync(0);
    reach.stop();
    const probes = world.probes;
    await vi.advanceTimersByTimeAsync(PROBE_RETRY_MAX_MS * 4);
    expect(world.probes).toBe(probes);
  });
});

describe('probeServer', () => {
  it('is true only for an OK answer and never throws', async () => {
    expect(await probeServer('/healthz', async () => new Response('{}', { status: 200 }))).toBe(true);
    expect(await probeServer('/healthz', async () => new Response('', { status: 503 }))).toBe(false);
    expect(
      await probeServer('/healthz', async () => {
        throw new TypeError('Failed to fetch');
      }),
    ).toBe(false);
  });
});
