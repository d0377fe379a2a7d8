import { useEffect, useState } from 'react';
import { createStore } from '../core/store.ts';
import type { PeerStats } from '../pose/channel.ts';
import type { PoseLinks } from '../room/pose-links.ts';
import './PoseHud.css';
import { takesTyping } from '../core/typing-target.ts';
import { useStore } from '../render/use-store.ts';

/** How often the open HUD reads the channel's stats. */
const REFRESH_MS = 500;

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const kb = (bytesPerSecond: number) => fixed(bytesPerSecond / 1024, 1);

function usePoseStats(room: PoseLinks, open: boolean): PeerStats[] {
  const [stats, setStats] = useState<PeerStats[]>(() => room.channel.stats());
  useEffect(() => {
    if (!open) return;
    setStats(room.channel.stats());
    const timer = setInterval(() => setStats(room.channel.stats()), REFRESH_MS);
    return () => clearInterval(timer);
  }, [room, open]);
  return stats;
}

/**
 * The pose channel's network HUD: per remote peer the transport in use, the
 * received rate, latency p50/p95, jitter, loss, bandwidth and playout delay.
 * Opens with the button, the `H` key, or `?hud=1` in the page URL.
 */
export function PoseHud({ room }: { room: PoseLinks }) {
  const [open, setOpen] = useState(() => new URLSearchParams(location.search).get('hud') === '1');
  const peers = useStore(room.channel.peerList);
  const relay = useStore(room.relay?.state ?? NO_RELAY);
  const stats = usePoseStats(room, open);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (takesTyping(event.target)) return;
      if (event.key === 'h' || event.key === 'H') setOpen((value) => !value);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  const summary = summarize(peers.map((peer) => peer.transport));
  return (
    <section className="pose-hud" data-testid="pose-hud" data-open={open} aria-label="Pose network">
      <button
        type="button"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        title="Network statistics of the live poses (H)"
        data-testid="pose-hud-toggle"
      >
        Poses · {summary || 'nobody here'}
      </button>
      {open && (
        <>
          <table>
            <thead>
              <tr>
                <th>Peer</th>
                <th>Via</th>
                <th>Hz</th>
                <th>p50 ms</th>
                <th>p95 ms</th>
                <th>Jitter</th>
                <th>Loss %</th>
                <th>In KB/s</th>
                <th>Out KB/s</th>
                <th>Delay ms</th>
              </tr>
            </thead>
            <tbody>
              {stats.map((peer) => (
                <tr
                  key={peer.id}
                  data-testid="pose-hud-peer"
                  data-peer-name={peer.name}
                  data-transport={peer.transport}
                >
                  <td>{peer.name || `#${peer.id}`}</td>
                  <td>
                    <span className={`transport transport-${peer.transport}`}>{peer.transport}</span>
                  </td>
                  <td>{fixed(peer.rateHz, 0)}</td>
                  <td>{fixed(peer.latencyP50Ms)}</td>
                  <td>{fixed(peer.latencyP95Ms)}</td>
                  <td>{fixed(peer.jitterMs)}</td>
                  <td>{fixed(peer.lossPercent)}</td>
                  <td>{kb(peer.bytesInPerSecond)}</td>
                  <td>{kb(peer.bytesOutPerSecond)}</td>
                  <td>{fixed(peer.playoutDelayMs, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="local">
            Relay: {relay} · dropped messages: {totalDropped(room)}
          </p>
        </>
      )}
    </section>
  );
}

const NO_RELAY = createStore<'off' | 'connecting' | 'open' | 'closed'>('off');

function summarize(transports: string[]): string {
  const counts = new Map<string, number>();
  for (const transport of transports) counts.set(transport, (counts.get(transport) ?? 0) + 1);
  return [...counts].map(([transport, n]) => `${n} ${transport}`).join(', ');
}

function totalDropped(room: PoseLinks): number {
  return Object.values(room.channel.counters.dropped).reduce((sum, n) => sum + n, 0);
}
