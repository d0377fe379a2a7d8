import { describe, expect, it } from 'vitest';
import { type AttemptState, AttemptWatchdog, MAX_NEGOTIATION_MS, WATCHDOG_MS } from './attempt-watchdog.ts';

const TIMEOUT_MS = 10_000;
const waiting: AttemptState = { channelOpen: false, inUse: false, signalingState: 'stable' };

/** Ticks the watchdog every WATCHDOG_MS from `from` to `to` (inclusive), as the transport's interval does. */
function tickEvery(watch: AttemptWatchdog, from: number, to: number): void {
  for (let t = from; t <= to; t += WATCHDOG_MS) watch.tick(t);
}

describe('AttemptWatchdog', () => {
  it('[TRN4] gives up an attempt whose pose channel has not opened after its timeout, and keeps an open one', () => {
    const watch = new AttemptWatchdog();
    const attempt = watch.start(0, TIMEOUT_MS);
    tickEvery(watch, 0, TIMEOUT_MS - WATCHDOG_MS);
    expect(watch.verdict(attempt, waiting, TIMEOUT_MS - WATCHDOG_MS)).toBe('keep');
    watch.tick(TIMEOUT_MS);
    expect(watch.verdict(attempt, waiting, TIMEOUT_MS)).toBe('give-up');
    expect(watch.verdict(attempt, { ...waiting, channelOpen: true }, TIMEOUT_MS)).toBe('keep');
    // A connection y-webrtc itself uses is never given up here.
    expect(watch.verdict(attempt, { ...waiting, inUse: true }, TIMEOUT_MS)).toBe('extend');
  });

  it('[TRN11] does not count a stall of the page (a late check) as the attempt’s time', () => {
    const watch = new AttemptWatchdog();
    const attempt = watch.start(0, TIMEOUT_MS);
    tickEvery(watch, 0, 2_000);
    // The main thread is busy for 25 s: the next check comes at 27 s.
    watch.tick(27_000);
    expect(watch.stalledMs).toBe(27_000 - 2_000 - WATCHDOG_MS);
    expect(watch.awake(27_000)).toBe(2_000 + WATCHDOG_MS);
    expect(watch.verdict(attempt, waiting, 27_000)).toBe('keep');
    // The attempt's own 10 s of awake time still run out.
    const end = 27_000 + TIMEOUT_MS - 2_000 - WATCHDOG_MS;
    tickEvery(watch, 27_000 + WATCHDOG_MS, end);
    expect(watch.verdict(attempt, waiting, end)).toBe('give-up');
  });

  it('[TRN11] checks that are merely a little late are not stalls', () => {
    const watch = new AttemptWatchdog();
    for (let t = 0; t <= 12_000; t += WATCHDOG_MS + 400) watch.tick(t);
    expect(watch.stalledMs).toBe(0);
  });

  it('[TRN11] keeps an attempt mid-negotiation past its timeout, but not past MAX_NEGOTIATION_MS', () => {
    const watch = new AttemptWatchdog();
    const attempt = watch.start(0, TIMEOUT_MS);
    const offered: AttemptState = { ...waiting, signalingState: 'have-local-offer' };
    tickEvery(watch, 0, TIMEOUT_MS);
    expect(watch.verdict(attempt, offered, TIMEOUT_MS)).toBe('extend');
    expect(watch.verdict(attempt, { ...offered, signalingState: 'have-remote-offer' }, TIMEOUT_MS)).toBe('extend');
    tickEvery(watch, TIMEOUT_MS + WATCHDOG_MS, MAX_NEGOTIATION_MS);
    // An offer nobody answered in 30 s of awake time is given up: y-webrtc then announces itself again.
    expect(watch.verdict(attempt, offered, MAX_NEGOTIATION_MS)).toBe('give-up');
    // A closed connection is not negotiating.
    const fresh = watch.start(MAX_NEGOTIATION_MS, 0);
    expect(watch.verdict(fresh, { ...waiting, signalingState: 'closed' }, MAX_NEGOTIATION_MS)).toBe('give-up');
  });
});
