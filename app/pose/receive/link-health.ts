/**
 * Whether a peer's WebRTC link still carries anything (TRN8, docs/transports.md).
 * A data channel can go silent without closing (a NAT binding that expired, a
 * path that drops UDP, a stalled SCTP association): no error, no close, just
 * nothing. So the channel probes every WebRTC link with a PING every
 * PROBE_INTERVAL_MS, whether poses use it or not, and the remote answers each
 * PING with a PONG over the same link.
 *
 * Only PONGs count: a PONG proves both directions, while messages that keep
 * arriving from the peer say nothing about whether ours reach it. A link is
 * silent when at least MIN_LOST_PROBES probes went out since its last PONG and
 * the first of them is SILENT_LINK_MS old. Counting probes, not only time,
 * keeps a page whose own main thread stalled (it sent no probes meanwhile, and
 * the PONGs wait in its queue) from calling a healthy link silent. The relay
 * (TCP) and BroadcastChannel report their failures by closing: not probed.
 *
 * @example
 *   health.up('webrtc', now);                     // a link came up: live until probes go unanswered
 *   if (health.pingDue('webrtc', now, 1000)) { sendPing(); health.pinged('webrtc', now); }
 *   health.pong('webrtc', now);                   // true if the link was silent until now
 *   health.silentFor('webrtc', now);              // 0 while it answers
 */
import type { TransportKind } from '../transports/link.ts';

/** How often every WebRTC link is probed with a PING. */
export const PROBE_INTERVAL_MS = 200;
/** How long the first unanswered probe may wait before its link counts as silent. */
const SILENT_LINK_MS = 800;
/** Unanswered probes needed, besides the time, before a link counts as silent. */
const MIN_LOST_PROBES = 3;
/** A link silent this long (from its first unanswered probe) is given up and re-established. */
export const RESTART_SILENT_LINK_MS = 5000;

interface Probes {
  lastPingAt: number;
  /** Probes sent since the last PONG, and when the first of them went. */
  unanswered: number;
  firstUnansweredAt: number;
}

/** Links that can fail silently, and so are probed. */
function isProbed(kind: TransportKind): boolean {
  return kind === 'webrtc';
}

export class LinkHealth {
  private readonly probes = new Map<TransportKind, Probes>();

  /** A link of `kind` came up: it is live until its probes go unanswered. */
  up(kind: TransportKind): void {
    this.probes.set(kind, { lastPingAt: Number.NEGATIVE_INFINITY, unanswered: 0, firstUnansweredAt: 0 });
  }

  down(kind: TransportKind): void {
    this.probes.delete(kind);
  }

  /**
   * Whether a PING is due on `kind`, given the interval the clock estimate wants
   * on it (Infinity when the link is not the one poses use).
   */
  pingDue(kind: TransportKind, now: number, clockIntervalMs: number): boolean {
    const interval = isProbed(kind) ? Math.min(PROBE_INTERVAL_MS, clockIntervalMs) : clockIntervalMs;
    const last = this.probes.get(kind)?.lastPingAt ?? Number.NEGATIVE_INFINITY;
    return now - last >= interval;
  }

  pinged(kind: TransportKind, now: number): void {
    const probes = this.probes.get(kind);
    if (!probes) return;
    probes.lastPingAt = now;
    if (probes.unanswered++ === 0) probes.firstUnansweredAt = now;
  }

  /** A PONG came back over `kind`; returns true when that link was silent until now. */
  pong(kind: TransportKind, now: number): boolean {
    const probes = this.probes.get(kind);
    if (!probes) return false;
    const wasSilent = this.silentFor(kind, now) > 0;
    probes.unanswered = 0;
    return wasSilent;
  }

  /** How long `kind` has been silent, counted from its first unanswered probe; 0 while it is not silent. */
  silentFor(kind: TransportKind, now: number): number {
    const probes = this.probes.get(kind);
    if (!probes || !isProbed(kind) || probes.unanswered < MIN_LOST_PROBES) return 0;
    const waited = now - probes.firstUnansweredAt;
    return waited >= SILENT_LINK_MS ? waited : 0;
  }
}
