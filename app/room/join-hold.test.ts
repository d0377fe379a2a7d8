// [ROOM6] A newcomer creates its renderer once its join has settled: a WebRTC
// peer is connected and synced and the first pose arrived (or none came within
// FIRST_POSE_WAIT_MS of the sync), or nobody is connecting after JOIN_WINDOW_MS,
// or JOIN_HOLD_MAX_MS have passed. Fake clock and a hand-driven source.
import { describe, expect, it } from 'vitest';
import { JOIN_WINDOW_MS, type PacedConnection } from './frame-pacing.ts';
import {
  FIRST_POSE_WAIT_MS,
  JOIN_HOLD_MAX_MS,
  type JoinClock,
  type JoinSource,
  joinSettled,
  watchJoin,
} from './join-hold.ts';

/** A source whose connections and sync the test sets, and a clock whose timers the test runs. */
function fixture(sessionStart = 1000) {
  const state = {
    connections: [] as PacedConnection[],
    synced: false,
    heardPose: false,
    othersHere: false,
    rosterKnown: true,
  };
  const listeners = new Set<() => void>();
  const source: JoinSource = {
    connections: () => state.connections,
    synced: () => state.synced,
    heardPose: () => state.heardPose,
    othersHere: () => state.othersHere,
    rosterKnown: () => state.rosterKnown,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  let now = sessionStart;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextTimer = 1;
  const clock: JoinClock = {
    now: () => now,
    setTimeout(fn, ms) {
      timers.set(nextTimer, { at: now + ms, fn });
      return nextTimer++;
    },
    clearTimeout: (handle) => timers.delete(handle as number),
  };
  let settledAt: number | undefined;
  const stop = watchJoin(
    source,
    sessionStart,
    () => {
      if (settledAt !== undefined) throw new Error('settled twice');
      settledAt = now;
    },
    clock,
  );
  return {
    state,
    stop,
    timers,
    settledAt: () => settledAt,
    /** Sets the state and tells the watcher, as y-webrtc's 'peers' and 'synced' events and the first pose do. */
    change(connections: PacedConnection[], synced: boolean, heardPose = false) {
      state.connections = connections;
      state.synced = synced;
      state.heardPose = heardPose;
      for (const listener of [...listeners]) listener();
    },
    /** Moves the clock to `to`, running the timers due on the way in order. */
    advance(to: number) {
      for (;;) {
        const due = [...timers].filter(([, timer]) => timer.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = to;
    },
    listeners,
  };
}

describe('join hold', () => {
  it('[ROOM6] settles as soon as a WebRTC peer is connected and synced and its first pose arrived, not before', () => {
    const join = fixture(1000);
    const key = {};
    join.advance(1100);
    join.change([{ key, connected: false }], false);
    join.advance(1200);
    join.change([{ key, connected: true }], false);
    expect(join.settledAt()).toBeUndefined();
    join.advance(1300);
    join.change([{ key, connected: true }], true);
    expect(join.settledAt()).toBeUndefined();
    join.advance(1340);
    join.change([{ key, connected: true }], true, true);
    expect(join.settledAt()).toBe(1340);
    // Settled once: the watcher let go of its listeners and timers.
    expect(join.listeners.size).toBe(0);
    expect(join.timers.size).toBe(0);
  });

  it('[ROOM6] a synced peer that sends no pose holds the renderer FIRST_POSE_WAIT_MS after the sync, no longer', () => {
    const join = fixture(0);
    const key = {};
    join.advance(200);
    join.change([{ key, connected: true }], true);
    join.advance(200 + FIRST_POSE_WAIT_MS - 1);
    expect(join.settledAt()).toBeUndefined();
    join.advance(200 + FIRST_POSE_WAIT_MS + 5);
    expect(join.settledAt()).toBeGreaterThanOrEqual(200 + FIRST_POSE_WAIT_MS);
    expect(join.settledAt()).toBeLessThanOrEqual(200 + FIRST_POSE_WAIT_MS + 1);
    expect(join.timers.size).toBe(0);
  });

  it('[ROOM6] a pose heard before the WebRTC sync (over the relay) does not settle alone; the sync then settles at once', () => {
    const join = fixture(0);
    const key = {};
    join.advance(100);
    join.change([{ key, connected: false }], false, true);
    expect(join.settledAt()).toBeUndefined();
    join.advance(250);
    join.change([{ key, connected: true }], true, true);
    expect(join.settledAt()).toBe(250);
  });

  it('[ROOM6] an empty room settles JOIN_WINDOW_MS after the session started', () => {
    const join = fixture(1000);
    join.advance(1000 + JOIN_WINDOW_MS - 1);
    expect(join.settledAt()).toBeUndefined();
    join.advance(1000 + JOIN_WINDOW_MS + 5);
    expect(join.settledAt()).toBeGreaterThanOrEqual(1000 + JOIN_WINDOW_MS);
    expect(join.settledAt()).toBeLessThanOrEqual(1000 + JOIN_WINDOW_MS + 1);
  });

  it('[ROOM16] someone heard over the relay keeps the hold past JOIN_WINDOW_MS until its WebRTC connection syncs', () => {
    const join = fixture(0);
    join.advance(100);
    // The member is on the relay; its offer has not come yet (its main thread is busy).
    join.state.othersHere = true;
    join.change([], false);
    join.advance(JOIN_WINDOW_MS + 800);
    expect(join.settledAt()).toBeUndefined();
    const key = {};
    join.change([{ key, connected: false }], false);
    join.advance(JOIN_WINDOW_MS + 1200);
    join.change([{ key, connected: true }], true, true);
    expect(join.settledAt()).toBe(JOIN_WINDOW_MS + 1200);
  });

  it('[ROOM16] someone heard over the relay who never offers holds the renderer JOIN_HOLD_MAX_MS at most', () => {
    const join = fixture(0);
    join.state.othersHere = true;
    join.change([], false);
    join.advance(JOIN_HOLD_MAX_MS + 5);
    expect(join.settledAt()).toBeGreaterThanOrEqual(JOIN_HOLD_MAX_MS);
    expect(join.settledAt()).toBeLessThanOrEqual(JOIN_HOLD_MAX_MS + 1);
  });

  it('[ROOM18] nobody heard at JOIN_WINDOW_MS is no empty room until the relay has said who is there: an empty roster then settles at once', () => {
    const join = fixture(0);
    // A loaded page: its relay socket opened late and the roster is not in at the window.
    join.state.rosterKnown = false;
    join.advance(JOIN_WINDOW_MS + 400);
    expect(join.settledAt()).toBeUndefined();
    join.state.rosterKnown = true;
    join.change([], false);
    expect(join.settledAt()).toBe(JOIN_WINDOW_MS + 400);
  });

  it('[ROOM18] a roster that names someone keeps the hold for their connection; one that never comes holds JOIN_HOLD_MAX_MS at most', () => {
    const named = fixture(0);
    named.state.rosterKnown = false;
    named.advance(JOIN_WINDOW_MS + 300);
    named.state.rosterKnown = true;
    named.state.othersHere = true;
    named.change([], false);
    named.advance(JOIN_WINDOW_MS + 900);
    expect(named.settledAt()).toBeUndefined();
    const key = {};
    named.change([{ key, connected: true }], true, true);
    expect(named.settledAt()).toBe(JOIN_WINDOW_MS + 900);

    const silent = fixture(0);
    silent.state.rosterKnown = false;
    silent.advance(JOIN_HOLD_MAX_MS + 5);
    expect(silent.settledAt()).toBeGreaterThanOrEqual(JOIN_HOLD_MAX_MS);
    expect(silent.settledAt()).toBeLessThanOrEqual(JOIN_HOLD_MAX_MS + 1);
  });

  it('[ROOM6] a connection still negotiating at the window keeps the hold, up to JOIN_HOLD_MAX_MS', () => {
    const join = fixture(0);
    join.change([{ key: {}, connected: false }], false);
    join.advance(JOIN_WINDOW_MS + 500);
    expect(join.settledAt()).toBeUndefined();
    join.advance(JOIN_HOLD_MAX_MS + 5);
    expect(join.settledAt()).toBeGreaterThanOrEqual(JOIN_HOLD_MAX_MS);
    expect(join.settledAt()).toBeLessThanOrEqual(JOIN_HOLD_MAX_MS + 1);
  });

  it('[ROOM6] a page that starts watching late settles at once when its time is up', () => {
    const source: JoinSource = {
      connections: () => [],
      synced: () => false,
      heardPose: () => false,
      othersHere: () => false,
      rosterKnown: () => true,
      onChange: () => () => {},
    };
    expect(joinSettled(source, 0, JOIN_WINDOW_MS - 1)).toBe(false);
    expect(joinSettled(source, 0, JOIN_WINDOW_MS)).toBe(true);
    let settled = false;
    watchJoin(
      source,
      0,
      () => {
        settled = true;
      },
      { now: () => JOIN_HOLD_MAX_MS, setTimeout: () => 0, clearTimeout: () => {} },
    );
    expect(settled).toBe(true);
  });

  it('[ROOM6] stopping the watch cancels it', () => {
    const join = fixture(0);
    join.stop();
    join.advance(JOIN_HOLD_MAX_MS + 10);
    expect(join.settledAt()).toBeUndefined();
    expect(join.timers.size).toBe(0);
  });
});
