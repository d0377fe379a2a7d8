/**
 * Cluster mode's entry (docs/scaling.md): connects to Redis and wires the
 * endpoints of this instance to it. `startServer` imports this module only
 * when `REDIS_URL` is set (CL1).
 */

import { MAX_AWARENESS_BYTES } from '../../app/sync/doc/limits.ts';
import { TURN_CREDENTIALS_PER_MINUTE } from '../api.ts';
import { HISTORY_REQUESTS_PER_MINUTE } from '../history-api.ts';
import type { Logger } from '../log.ts';
import type { RelayServer } from '../relay.ts';
import { DEFAULT_ROOM_CODE_OPTIONS } from '../room-codes.ts';
import type { CodeBook, SharedLimiter } from '../shared-state.ts';
import type { SignalingServer } from '../signaling.ts';
import { DEFAULT_HISTORY_POLICY, type RoomSyncLimits } from '../yjs/limits.ts';
import { Cluster, type ClusterOptions } from './cluster.ts';
import { DocJournal } from './doc-journal.ts';
import { RelayBus } from './relay-bus.ts';
import { SharedCodes, sharedLimiter } from './shared-codes.ts';
import { SignalBus } from './signal-bus.ts';

export interface ClusterLink {
  cluster: Cluster;
  signal: SignalBus;
  relay: RelayBus;
  sync: DocJournal;
  codes: CodeBook;
  turnIssues: SharedLimiter;
  /** HIST6: history requests per address, counted over every instance. */
  historyRequests: SharedLimiter;
  close(): Promise<void>;
}

export async function joinCluster(
  options: ClusterOptions,
  endpoints: { signaling: SignalingServer; relay: RelayServer; syncLimits: RoomSyncLimits },
  logger: Logger,
): Promise<ClusterLink> {
  const cluster = await Cluster.connect(options, logger);
  const l = endpoints.syncLimits;
  const link: ClusterLink = {
    cluster,
    signal: new SignalBus(cluster, endpoints.signaling, logger),
    relay: new RelayBus(cluster, endpoints.relay, logger),
    sync: new DocJournal(cluster, logger, {
      compactAfterUpdates: l.compactAfterUpdates,
      compactAfterBytes: l.compactAfterBytes,
      maxRoomBytes: l.maxRoomBytes,
      diskQuotaBytes: l.diskQuotaBytes,
      maxSocketsPerRoom: l.maxSocketsPerRoom,
      retentionMs: l.retentionMs,
      retentionSweepMs: l.retentionSweepMs,
      inboundBytesPerSecond: l.clusterRoomInboundBytesPerSecond,
      maxPresenceBytes: MAX_AWARENESS_BYTES + 64,
      history: l.history ?? DEFAULT_HISTORY_POLICY,
    }),
    codes: new SharedCodes(cluster, DEFAULT_ROOM_CODE_OPTIONS),
    turnIssues: sharedLimiter(cluster, 'turn', TURN_CREDENTIALS_PER_MINUTE),
    historyRequests: sharedLimiter(cluster, 'history', HISTORY_REQUESTS_PER_MINUTE),
    close: () => cluster.close(),
  };
  logger.info('cluster', 'joined the cluster', { instance: cluster.instance });
  return link;
}
