// [TRN1] Tabs of one browser: two channels in one process over Node's real
// BroadcastChannel (the same API browsers have), each with its own transport.
import { afterEach, describe, expect, it } from 'vitest';
import { peer } from '../../../testing/ids.ts';
import { PoseChannel } from '../channel.ts';
import { PART_HEAD } from '../wire/protocol.ts';
import { BroadcastPoseTransport } from './broadcast-transport.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tab(room: string, id: number) {
  const channel = new PoseChannel({ selfId: peer(id), identity: () => ({ name: `tab ${id}`, color: '#9b5de5' }) });
  const transport = new BroadcastPoseTransport(room, peer(id), channel);
  channel.addTransport(transport);
  cleanups.push(() => channel.destroy());
  return channel;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('BroadcastChannel transport', () => {
  it('[TRN1] tabs find each other at once, exchange poses, and a closed tab leaves', async () => {
    const room = `bc${Date.now()}`;
    const a = tab(room, 1);
    const b = tab(room, 2);
    const other = tab(`${room}-other`, 3);
    await until(() => a.transportOf(peer(2)) === 'broadcast' && b.transportOf(peer(1)) === 'broadcast', 'tabs linked');
    const position = { x: 0, y: 0, z: 0 };
    const rotation = { x: 0, y: 0, z: 0, w: 1 };
    a.setAvatarPart(PART_HEAD, { x: 1.5, y: 1.6, z: -2 }, rotation);
    a.tick();
    await until(() => b.sampleAvatarPart(peer(1), PART_HEAD, position, rotation) !== 'empty', 'pose received');
    expect(position.x).toBeCloseTo(1.5, 2);
    expect(b.stats()[0]?.name).toBe('tab 1');
    expect(other.peers.size).toBe(0); // another room's channel hears nothing
    a.destroy();
    await until(() => b.transportOf(peer(1)) === 'none', 'tab left');
  });
});
