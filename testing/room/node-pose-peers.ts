/**
 * Starts room members in Node, each in its own process (node-pose-peer.ts): a test's or a
 * benchmark's other people, sending poses at 60 Hz over WebRTC (node-datachannel) or the relay.
 *
 * @example
 *   const peers = await startNodePosePeers(server.url, 'benchroom', ['Sender 1', 'Sender 2'], { webrtc: true });
 *   const reports = await Promise.all(peers.map((peer) => peer.report()));
 *   await stopNodePosePeers(peers);
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkReady, nextMessage, stopChildren } from '../child-process.ts';
import type { NodePosePeerArgs, NodePosePeerReport, NodePosePeerRequest } from './node-pose-peer.ts';

const ENTRY = fileURLToPath(new URL('./node-pose-peer.ts', import.meta.url));
const REPORT_TIMEOUT_MS = 10_000;

export interface NodePosePeer {
  readonly name: string;
  readonly peerId: number;
  readonly process: ChildProcess;
  report(): Promise<NodePosePeerReport>;
}

async function startOne(args: NodePosePeerArgs): Promise<NodePosePeer> {
  const { child, ready } = await forkReady<{ peerId: number }>(ENTRY, args);
  return {
    name: args.name,
    peerId: ready.peerId,
    process: child,
    report: () => {
      const answer = nextMessage<NodePosePeerReport>(child, 'report', REPORT_TIMEOUT_MS, args.name);
      child.send({ type: 'report' } satisfies NodePosePeerRequest);
      return answer;
    },
  };
}

/**
 * One process per name, started one after another (each compiles the room's modules); all or none.
 * `mesh: false` (a benchmark's senders, docs/transports.md "Measuring at 60 Hz"): the peers started
 * here have no pose links to each other, only to peers that join later; each is told the others'
 * pose ids as they start, and holds every link back until it knows all of them.
 */
export async function startNodePosePeers(
  url: string,
  roomId: string,
  names: readonly string[],
  options: { webrtc: boolean; mesh?: boolean },
): Promise<NodePosePeer[]> {
  const mesh = options.mesh ?? true;
  const peers: NodePosePeer[] = [];
  try {
    for (const [i, name] of names.entries()) {
      peers.push(await startOne({ url, roomId, name, webrtc: options.webrtc, mesh }));
      if (mesh) continue;
      const senders: NodePosePeerRequest = {
        type: 'senders',
        peerIds: peers.map((peer) => peer.peerId),
        complete: i === names.length - 1,
      };
      for (const peer of peers) peer.process.send(senders);
    }
  } catch (error) {
    await stopNodePosePeers(peers);
    throw error;
  }
  return peers;
}

/** Asks each to leave the room and exit; kills what has not exited in time. */
export function stopNodePosePeers(peers: readonly NodePosePeer[]): Promise<void> {
  return stopChildren(peers.map((peer) => peer.process));
}
