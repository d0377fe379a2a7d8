// The room clock (CLOCK1-CLOCK3): which peer's clock the room follows, how the
// offset moves (slewed or stepped), a page alone; then real pose channels with
// skewed clocks, PING/PONG over in-memory links, agreeing on room time.
import { describe, expect, it } from 'vitest';
import { peer } from '../../testing/ids.ts';
import type { PeerId } from '../core/ids.ts';
import { PoseChannel } from '../pose/channel.ts';
import type { PoseLink } from '../pose/transports/link.ts';
import { TICK_MS } from '../pose/wire/time.ts';
import { type ClockEstimates, RoomClock, SLEW_RATE, STEP_MS } from './room-clock.ts';

/** The others' clocks as the pose channel would estimate them: id -> their clock minus ours. */
class Estimates implements ClockEstimates {
  readonly offsets = new Map<PeerId, number>();
  forEachClockOffset(visit: (peerId: PeerId, offsetMs: number) => void): void {
    for (const [id, offset] of this.offsets) visit(id, offset);
  }
}

function fakeClock(start = 1_700_000_000_000) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

describe('room clock', () => {
  it('[CLOCK2] a page alone runs on its own clock, and keeps the offset it had when the others leave', () => {
    const local = fakeClock();
    const estimates = new Estimates();
    const clock = new RoomClock(peer(5), estimates, local);
    expect(clock.update()).toBe(local.time);
    expect(clock.inspect()).toMatchObject({ offsetMs: 0, referenceId: peer(5), steps: 0 });

    estimates.offsets.set(peer(3), 4_000);
    clock.update();
    expect(clock.inspect()).toMatchObject({ offsetMs: 4_000, referenceId: peer(3) });
    estimates.offsets.clear();
    local.time += 1_000;
    expect(clock.update()).toBe(local.time + 4_000);
    expect(clock.inspect()).toMatchObject({ offsetMs: 4_000, referenceId: peer(3), steps: 1 });
  });

  it('[CLOCK1] the room follows the lowest peer id present, this page included', () => {
    const local = fakeClock();
    const estimates = new Estimates();
    estimates.offsets.set(peer(8), -500);
    estimates.offsets.set(peer(3), 2_000);
    const follower = new RoomClock(peer(5), estimates, local);
    expect(follower.update()).toBe(local.time + 2_000);
    expect(follower.inspect().referenceId).toBe(peer(3));
    // The page with the lowest id is the reference: its own clock.
    const reference = new RoomClock(peer(2), estimates, local);
    expect(reference.update()).toBe(local.time);
    expect(reference.inspect().referenceId).toBe(peer(2));
  });

  it('[CLOCK3] small changes of the estimate are slewed at SLEW_RATE, never past the target', () => {
    const local = fakeClock();
    const estimates = new Estimates();
    estimates.offsets.set(peer(1), 2_000);
    const clock = new RoomClock(peer(9), estimates, local);
    clock.update();
    estimates.offsets.set(peer(1), 2_030);
    local.time += 100;
    expect(clock.update()).toBeCloseTo(local.time + 2_000 + 100 * SLEW_RATE, 9);
    // Room time never runs backwards while slewing the other way.
    estimates.offsets.set(peer(1), 1_980);
    let last = clock.update();
    for (let i = 0; i < 120; i++) {
      local.time += TICK_MS;
      const now = clock.update();
      expect(now).toBeGreaterThan(last);
      last = now;
    }
    expect(clock.inspect().offsetMs).toBe(1_980);
    expect(clock.inspect().steps).toBe(1);
  });

  it('[CLOCK3] a change larger than STEP_MS (a first estimate, a new reference) is made at once', () => {
    const local = fakeClock();
    const estimates = new Estimates();
    const clock = new RoomClock(peer(9), estimates, local);
    clock.update();
    estimates.offsets.set(peer(4), STEP_MS + 1);
    local.time += TICK_MS;
    expect(clock.update()).toBe(local.time + STEP_MS + 1);
    // A newcomer with a lower id becomes the reference: everyone steps to its clock.
    estimates.offsets.set(peer(2), -3_000);
    local.time += TICK_MS;
    expect(clock.update()).toBe(local.time - 3_000);
    expect(clock.inspect()).toMatchObject({ referenceId: peer(2), steps: 2 });
  });

  it('[CLOCK1] three pose channels whose clocks differ by seconds agree on room time within a frame', () => {
    let time = 1_700_000_000_000;
    const skews = [0, 7_000, -2_500];
    const channels = skews.map(
      (skew, i) =>
        new PoseChannel({
          selfId: peer(10 + i),
          identity: () => ({ name: `peer ${i}`, color: '#112233' }),
          clock: { now: () => time + skew },
        }),
    );
    const clocks = channels.map((channel, i) => {
      const skew = skews[i] ?? 0;
      return new RoomClock(channel.selfId, channel, { now: () => time + skew });
    });
    // Every pair linked in memory, delivered at once (the links of a loopback relay, minus its delay).
    for (const [i, a] of channels.entries()) {
      for (const b of channels.slice(i + 1)) linkPair(a, b);
    }
    for (let tick = 0; tick < 120; tick++) {
      time += TICK_MS;
      for (const channel of channels) channel.tick();
      for (const clock of clocks) clock.update();
    }
    const roomTimes = clocks.map((clock) => clock.inspect().lastMs);
    expect(Math.max(...roomTimes) - Math.min(...roomTimes)).toBeLessThan(1);
    // Peer 10 has the lowest id: the room runs on its clock.
    expect(roomTimes[0]).toBeCloseTo(time, 0);
    expect(clocks.map((clock) => clock.inspect().referenceId)).toEqual([peer(10), peer(10), peer(10)]);
  });
});

/** A relay-like link both ways between two channels, delivering at once. */
function linkPair(a: PoseChannel, b: PoseChannel): void {
  const linkOf = new Map<PoseChannel, PoseLink>();
  const toward = (to: PoseChannel): PoseLink => ({
    kind: 'relay',
    peerId: to.selfId,
    send: (bytes) => {
      const back = linkOf.get(to);
      if (back) to.receive(bytes.slice(), back);
      return true;
    },
  });
  linkOf.set(a, toward(b));
  linkOf.set(b, toward(a));
  a.linkUp(linkOf.get(a) as PoseLink);
  b.linkUp(linkOf.get(b) as PoseLink);
}
