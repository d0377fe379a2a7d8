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
 * Unanswered probes alone do not tell a dead path from a peer whose main thread
 * is slow (software GL, many pages on few cores): that peer answers nothing, on
 * any link, and moving to the relay would gain nothing. So while a WebRTC
 * probe is a probe interval overdue, the other links (relay, BroadcastChannel)
 * are probed too, and the WebRTC link is silent only once the peer answered
 * one of those cross probes sent after the first unanswered WebRTC probe: the
 * peer is alive, only the path is not. With no other link up there is nothing
 * to cross-check and nothing to move to: the link is silent after
 * LONE_SILENT_LINK_MS (that only counts toward RESTART_SILENT_LINK_MS).
 *
 * @example
 *   health.up('webrtc', now);                     // a link came up: live until probes go unanswered
 *   if (health.pingDue('webrtc', now, 1000)) { sendPing(); health.pinged('webrtc', now); }
 *   health.pong('webrtc', now);                   // true if the link was silent until now
 *   health.pong('relay', now, sentAt);            // a cross probe sent at `sentAt` was answered
 *   health.silentFor('webrtc', now);              // 0 while it answers
 */
import type { TransportKind } from '../transports/link.ts';

/** How often every WebRTC link is probed with a PING. */
export const PROBE_INTERVAL_MS = 200;
/** How long the first unanswered probe may wait before its link counts as silent. */
const SILENT_LINK_MS = 800;
/** With no other link to cross-check against, how long the first unanswered probe may wait. */
const LONE_SILENT_LINK_MS = 2000;
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
  /** When the latest cross probe answered over an unprobed link was sent: the peer was alive then. */
  private aliveAt = Number.NEGATIVE_INFINITY;

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
    const probed = isProbed(kind) || this.crossCheckWanted();
    const interval = probed ? Math.min(PROBE_INTERVAL_MS, clockIntervalMs) : clockIntervalMs;
    const last = this.probes.get(kind)?.lastPingAt ?? Number.NEGATIVE_INFINITY;
    return now - last >= interval;
  }

  pinged(kind: TransportKind, now: number): void {
    const probes = this.probes.get(kind);
    if (!probes) return;
    probes.lastPingAt = now;
    if (probes.unanswered++ === 0) probes.firstUnansweredAt = now;
  }

  /**
   * A PONG came back over `kind` for a PING sent at `sentAt` (local time);
   * returns true when that link was silent until now.
   */
  pong(kind: TransportKind, now: number, sentAt = now): boolean {
    const probes = this.probes.get(kind);
    if (!probes) return false;
    if (!isProbed(kind)) this.aliveAt = Math.max(this.aliveAt, sentAt);
    const wasSilent = this.silentFor(kind, now) > 0;
    probes.unanswered = 0;
    return wasSilent;
  }

  /** How long `kind` has been silent, counted from its first unanswered probe; 0 while it is not silent. */
  silentFor(kind: TransportKind, now: number): number {
    const probes = this.probes.get(kind);
    if (!probes || !isProbed(kind) || probes.unanswered < MIN_LOST_PROBES) return 0;
    const waited = now - probes.firstUnansweredAt;
    if (!this.hasUnprobedLink()) return waited >= LONE_SILENT_LINK_MS ? waited : 0;
    return waited >= SILENT_LINK_MS && this.aliveAt >= probes.firstUnansweredAt ? waited : 0;
  }

  /** Whether a probed link has a probe a probe interval overdue: the other links are probed meanwhile. */
  private crossCheckWanted(): boolean {
    for (const [kind, probes] of this.probes) if (isProbed(kind) && probes.unanswered >= 2) return true;
    return false;
  }

  private hasUnprobedLink(): boolean {
    for (const kind of this.probes.keys()) if (!isProbed(kind)) return true;
    return false;
  }
}
