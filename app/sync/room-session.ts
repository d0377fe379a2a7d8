/**
 * A live room: its Yjs document and every provider attached to it. This is
 * the one place that composes a room's transports (docs/room-doc.md, "Providers"):
 *
 *   y-indexeddb   this device's copy: the room is there after a reload and offline.
 *   y-webrtc      peers directly, signaled through our `/signal` with our ICE servers;
 *                 encrypted with the room password if the link has one.
 *   y-websocket   our server's `/sync`: loads the room for a late joiner when nobody
 *                 else is online, keeps it after everyone leaves and across server
 *                 restarts, and carries the sync when WebRTC cannot connect.
 *                 Never attached in a password room (PW1).
 *
 * All providers share one Awareness (presence). Every remote update passes the
 * UpdateGate before it reaches the document (CAP3/CAP4). Plain TypeScript; React
 * only subscribes to `status`.
 */

import { IndexeddbPersistence } from 'y-indexeddb';
import { Awareness } from 'y-protocols/awareness';
import { WebrtcProvider } from 'y-webrtc';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ConnectTimeline } from '../core/connect-timeline.ts';
import type { Identity } from '../core/identity.ts';
import type { RoomId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import { RoomDoc } from './doc/room-doc.ts';
import { UpdateGate } from './gate/update-gate.ts';
import type { Verdict } from './gate/update-guard.ts';
import { guardWebrtcProvider } from './gate/webrtc-guard.ts';
import { listPeers, type Peer, PresenceKeeper, publishPresence } from './presence.ts';
import type { RoomModeration } from './roles/moderation.ts';
import type { PeerRoles } from './roles/peer-roles.ts';
import type { NameSigner, PresenceNames } from './roles/presence-names.ts';
import type { RoomCredential } from './roles/room-credential.ts';
import type { RoomSettings } from './roles/room-settings.ts';
import type { SessionKey } from './roles/session-key.ts';
import type { SessionRoles, SessionRolesFactory } from './roles/session-roles.ts';
import type { TransportSwitches } from './room-link.ts';
import { createServerProvider } from './server-provider.ts';
import type { SessionModeration } from './session-moderation.ts';
import type { PeerOptions } from './webrtc-peer.ts';
import { webrtcTopic } from './webrtc-topic.ts';
import {
  broadcastPeerCount,
  connectedRtcPeerCount,
  type ForwardingStats,
  listRtcPeers,
  observeRtcHandshake,
  onRtcPeersChanged,
  queryRtcAwareness,
  type RtcPeerHandle,
  type SignalingConnection,
  signalingConnections,
  trimRtcForwarding,
} from './y-webrtc-internals.ts';

/** Without a connection to the room server after this long, tell the person why. */
const SIGNALING_UNREACHABLE_MS = 6_000;

type SignalingState = 'connecting' | 'connected' | 'unreachable';
/** The server sync connection: 'off' in password rooms and with `?server-sync=off`. */
type ServerSyncState = 'off' | 'connecting' | 'connected' | 'synced' | 'refused';

export interface RejectedUpdates {
  count: number;
  /** The latest rejection, for the visible message. */
  last?: { from: 'peer' | 'server'; reason: string };
}

export interface RoomStatus {
  /**
   * This page's connection to the room server: the signaling socket, or the sync
   * socket when WebRTC is switched off.
   */
  signaling: SignalingState;
  /** Peers with an open WebRTC connection. */
  webrtcPeers: number;
  /** Other tabs of this browser reached through BroadcastChannel. */
  broadcastPeers: number;
  peers: Peer[];
  server: ServerSyncState;
  /** True once this device's stored copy (IndexedDB) has been loaded, or when there is none. */
  localLoaded: boolean;
  rejected: RejectedUpdates;
}

export interface RoomSessionOptions {
  roomId: RoomId;
  signalingUrl: string;
  iceServers: RTCIceServer[];
  identity: Identity;
  /** Optional room password (PW1): y-webrtc encrypts with it and the server is never used. */
  password?: string;
  /** Server origin as a WebSocket URL (`ws://host:port`) for `/sync`. */
  syncServerUrl?: string;
  /** Test switches from the page URL (TRANSPORT1/2); both on by default. */
  transports?: Partial<TransportSwitches>;
  /** Keep this device's copy in IndexedDB; defaults to on where IndexedDB exists. */
  localPersistence?: boolean;
  /** Node tests pass `ws`. */
  WebSocketPolyfill?: typeof WebSocket;
  /**
   * The WebRTC implementation y-webrtc's peers use: the browser's own by default; Node peers
   * (tests, the pose60 benchmark's senders) pass node-datachannel's.
   */
  wrtc?: PeerOptions['wrtc'];
  /** Where the phases of joining are recorded (session start, signaling, handshake, first sync). */
  timeline?: ConnectTimeline;
  /**
   * A protected room (docs/roles.md): its roles, from `sessionRoles(credential, sessionKey)` in
   * app/sync/roles/session-roles.ts, which the page loads only with a credential (LOAD13); absent in an open room.
   */
  roles?: SessionRolesFactory;
  /**
   * What y-webrtc sends on to its peers: 'trimmed' (the default) leaves out what they already
   * have (TRN30-TRN33, TRN38-TRN41, docs/transports.md); 'y-webrtc' is the library as it is and
   * 'without-topology' the trim without neighbour reports (TRN38-TRN40), for the benchmark that
   * compares the three (bench/sync-doc.bench.ts).
   */
  rtcForwarding?: 'trimmed' | 'without-topology' | 'y-webrtc';
  /** y-webrtc's most connections (its `maxConns`; its default is 20-34): tests build partial meshes with it. */
  maxConns?: number;
}

/** IndexedDB database name; a password room gets its own so rooms with different passwords never mix. */
function localStoreName(roomId: RoomId, password?: string): string {
  if (!password) return `holoroom:${roomId}`;
  // FNV-1a: only separates stores on this device, not a secret.
  let hash = 0x811c9dc5;
  for (let i = 0; i < password.length; i++) hash = Math.imul(hash ^ password.charCodeAt(i), 0x01000193) >>> 0;
  return `holoroom:${roomId}:p${hash.toString(16)}`;
}

function peersKey(peers: readonly Peer[]): string {
  return peers
    .map(
      (peer) =>
        `${peer.peerId}:${peer.name}:${peer.color}:${peer.inXR}:${peer.away}:${peer.session}:${peer.nameCheck}:${peer.fingerprint}`,
    )
    .join('|');
}

export class RoomSession {
  /** The room's Yjs document, for providers (and sync tests) only: everything else goes through `room`. */
  readonly doc = new Y.Doc();
  readonly room = new RoomDoc(this.doc);
  readonly awareness = new Awareness(this.doc);
  readonly gate = new UpdateGate(this.doc);
  readonly transports: TransportSwitches;
  readonly webrtc?: WebrtcProvider;
  readonly server?: WebsocketProvider;
  readonly local?: IndexeddbPersistence;
  readonly status: Store<RoomStatus>;
  /** Roles between WebRTC peers in a protected room (ROLE6); undefined in an open room. */
  readonly roles?: PeerRoles;
  /** 'open', or this page's role in a protected room. */
  readonly role: 'open' | RoomCredential['role'];
  /** This page's credential in a protected room (the owner's makes the room's links, ROLE8). */
  readonly credential?: RoomCredential;
  /** In a protected room: the owner's entries as this page verified them (MOD1-MOD3). */
  readonly moderation?: RoomModeration;
  /** In a protected room: this page's session (MOD4). */
  readonly sessionKey?: SessionKey;
  /** What y-webrtc did not send on (TRN30-TRN33, TRN38-TRN41); undefined without WebRTC or with `rtcForwarding: 'y-webrtc'`. */
  forwarding?: ForwardingStats;
  /** MOD5: true once the owner removed this page's session; every connection of the room is closed for good. */
  readonly removed: Store<boolean>;
  /** ROT3: true once the owner replaced the editor link this page opened; it grants seeing only now. */
  readonly editorLinkReplaced: Store<boolean>;
  /** In a protected room: what this page believes about others' names (PNAME2-PNAME5). */
  readonly names?: PresenceNames;
  /** Kicks and editor-link rotation as they apply to this session (MOD1-MOD5, ROT1-ROT3). */
  private readonly moderator?: SessionModeration;
  /** PNAME1: signs this page's name with its session key. */
  private readonly nameSigner?: NameSigner;
  /** In a protected room: all of its roles' parts (the server sync's, y-webrtc connections as roles see them). */
  private readonly roleParts?: SessionRoles;
  private identity: Identity;
  private inXR = false;
  private away = false;
  private readonly presence: PresenceKeeper;
  private readonly unreachableTimer: ReturnType<typeof setTimeout>;
  private readonly signalingConns: SignalingConnection[] = [];
  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;

  constructor(options: RoomSessionOptions) {
    options.timeline?.mark('session_start');
    this.identity = options.identity;
    const roles = options.roles?.({
      doc: this.doc,
      room: this.room,
      awareness: this.awareness,
      onNamesSettled: () => this.updatePeers(),
    });
    this.role = roles?.credential.role ?? 'open';
    if (roles) {
      this.credential = roles.credential;
      this.roles = roles.peers;
      this.names = roles.names;
      this.moderator = roles.moderator;
      this.moderation = roles.moderator?.entries;
      this.sessionKey = roles.moderator?.key;
      this.nameSigner = roles.nameSigner;
      this.roleParts = roles;
    }
    this.removed = this.moderator?.removed ?? createStore(false);
    this.editorLinkReplaced = this.moderator?.editorLinkReplaced ?? createStore(false);
    const password = options.password || undefined;
    this.transports = {
      webrtc: options.transports?.webrtc ?? true,
      server: (options.transports?.server ?? true) && !password && options.syncServerUrl !== undefined,
    };
    const wantsLocal = options.localPersistence ?? typeof indexedDB !== 'undefined';
    this.status = createStore<RoomStatus>({
      signaling: 'connecting',
      webrtcPeers: 0,
      broadcastPeers: 0,
      peers: [],
      server: this.transports.server ? 'connecting' : 'off',
      localLoaded: !wantsLocal,
      rejected: { count: 0 },
    });

    if (wantsLocal) {
      this.local = new IndexeddbPersistence(localStoreName(options.roomId, password), this.doc);
      void this.local.whenSynced.then(() => this.patch({ localLoaded: true }));
    }
    if (this.transports.webrtc) this.webrtc = this.startWebrtc(options, password);
    if (this.transports.server && options.syncServerUrl) this.server = this.startServerSync(options);

    // TRN33: with renewals no longer re-broadcast, a peer reached only through others is asked after.
    const webrtc = this.forwarding ? this.webrtc : undefined;
    this.presence = new PresenceKeeper(this.awareness, undefined, webrtc && (() => queryRtcAwareness(webrtc)));
    this.publish();
    this.awareness.on('change', this.updatePeers);
    this.moderator?.attach({
      closeSession: (session) => {
        const parts = this.roleParts;
        if (this.webrtc && parts) parts.peers.closeSession(session, listRtcPeers(this.webrtc).map(parts.linkOf));
      },
      disconnectAll: () => {
        this.webrtc?.disconnect();
        this.server?.disconnect();
      },
    });
    this.unreachableTimer = setTimeout(() => {
      if (this.status.get().signaling === 'connecting') this.patch({ signaling: 'unreachable' });
    }, SIGNALING_UNREACHABLE_MS);
    this.updateSignaling();
  }

  setIdentity(identity: Identity): void {
    this.identity = identity;
    this.publish();
  }

  setInXR(inXR: boolean): void {
    this.inXR = inXR;
    this.publish();
  }

  /** ROT1: the owner makes a new editor link; older ones stop granting editing (false if this page may not). */
  rotateEditorLink(): Promise<boolean> {
    return this.moderator?.rotateEditorLink() ?? Promise.resolve(false);
  }

  /** MOD1: the owner removes the session `session` (an id from presence); every peer and the server drop it. */
  kick(session: string): Promise<boolean> {
    return this.moderator?.kick(session) ?? Promise.resolve(false);
  }

  /** MOD6: the owner mutes (or unmutes) the voice of session `session` (an id from presence) for everyone. */
  setVoiceMuted(session: string, muted: boolean): Promise<boolean> {
    return this.moderator?.setVoiceMuted(session, muted) ?? Promise.resolve(false);
  }

  /** ROLE11: the owner sets what the room lets everyone do (first: whether viewers may grab). */
  setRoomSettings(settings: RoomSettings): Promise<boolean> {
    return this.moderator?.setRoomSettings(settings) ?? Promise.resolve(false);
  }

  /** PRES5: the page was hidden (true) or shown again (false); everyone's list says so at once. */
  setAway(away: boolean): void {
    if (away === this.away) return;
    this.away = away;
    this.publish();
  }

  /** PRES1: says goodbye on every transport now (the page is going away). */
  leave(): void {
    this.presence.leave();
  }

  /** Announces this person again (the page came back from the back/forward cache). */
  rejoin(): void {
    this.publish();
  }

  private publish(): void {
    // PNAME1: once the name is signed, it is published again with its proof.
    const nameProof = this.nameSigner?.proofFor(this.identity.name, () => this.destroyed || this.publish());
    const session = this.moderator ? { session: this.moderator.session, ...(nameProof ? { nameProof } : {}) } : {};
    // ROLE13: says its role so that every page leaves viewers out of the cleaner choice (PHYS5).
    const role = this.role === 'open' ? {} : { role: this.role };
    publishPresence(this.awareness, { ...this.identity, inXR: this.inXR, away: this.away, ...session, ...role });
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.unreachableTimer);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.presence.destroy();
    this.moderator?.destroy();
    this.names?.destroy();
    this.awareness.off('change', this.updatePeers);
    this.webrtc?.destroy();
    this.server?.destroy();
    void this.local?.destroy();
    this.awareness.destroy();
    this.gate.destroy();
    this.doc.destroy();
  }

  private startWebrtc(options: RoomSessionOptions, password: string | undefined): WebrtcProvider {
    const provider = new WebrtcProvider(webrtcTopic(options.roomId), this.doc, {
      signaling: [this.moderator?.withSession(options.signalingUrl) ?? options.signalingUrl],
      awareness: this.awareness,
      ...(password ? { password } : {}),
      ...(options.maxConns !== undefined ? { maxConns: options.maxConns } : {}),
      // Always pass our own list: simple-peer's default would reach public STUN servers.
      peerOpts: { config: { iceServers: options.iceServers }, ...(options.wrtc ? { wrtc: options.wrtc } : {}) },
    });
    const roles = this.roleParts;
    const admit = roles
      ? (data: Uint8Array, from: RtcPeerHandle) => roles.peers.admit(roles.linkOf(from), data)
      : undefined;
    this.cleanups.push(guardWebrtcProvider(provider, this.gate, (verdict) => this.reject('peer', verdict), admit));
    // After the guard: a message's sender is known around all of its handling (TRN30-TRN32).
    if (options.rtcForwarding !== 'y-webrtc') {
      // A protected room's pages may refuse a connected peer's updates until it proves its role: no topology there.
      const trim = trimRtcForwarding(provider, { topology: options.rtcForwarding !== 'without-topology' && !roles });
      this.forwarding = trim.stats;
      this.cleanups.push(trim.stop);
    }
    this.signalingConns.push(...signalingConnections(provider));
    for (const conn of this.signalingConns) {
      conn.on('connect', this.updateSignaling);
      conn.on('disconnect', this.updateSignaling);
      this.cleanups.push(() => {
        conn.off('connect', this.updateSignaling);
        conn.off('disconnect', this.updateSignaling);
      });
    }
    // A connection counts once its data channel opens, which is after the 'peers' event.
    const hooked = new WeakSet<object>();
    const onPeers = () => {
      for (const handle of listRtcPeers(provider)) {
        if (hooked.has(handle.key)) continue;
        hooked.add(handle.key);
        if (!handle.connected) handle.onConnect(this.updatePeers);
        // ROLE3: challenge the peer once y-webrtc's channel is open (y-webrtc's own sync step 1 went first).
        if (roles) handle.onConnect(() => roles.peers.open(roles.linkOf(handle)));
      }
      this.updatePeers();
    };
    this.cleanups.push(onRtcPeersChanged(provider, onPeers));
    const timeline = options.timeline;
    if (timeline) {
      this.cleanups.push(observeRtcHandshake(provider, (step, at) => timeline.mark(step, at)));
      const onSynced = ({ synced }: { synced: boolean }) => {
        // y-webrtc also says "synced" when its last connection closes: only a live peer's sync counts.
        if (synced && connectedRtcPeerCount(provider) > 0) timeline.mark('first_sync');
      };
      provider.on('synced', onSynced);
      this.cleanups.push(() => provider.off('synced', onSynced));
    }
    return provider;
  }

  private startServerSync(options: RoomSessionOptions): WebsocketProvider {
    const provider = createServerProvider({
      serverUrl: options.syncServerUrl as string,
      roomId: options.roomId,
      doc: this.doc,
      awareness: this.awareness,
      gate: this.gate,
      onReject: (verdict) => this.reject('server', verdict),
      ...(this.roleParts ? { roles: this.roleParts.server } : {}),
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    });
    const onStatus = ({ status }: { status: string }) => {
      if (status === 'connected') this.patch({ server: provider.synced ? 'synced' : 'connected' });
      else if (this.status.get().server !== 'refused') this.patch({ server: 'connecting' });
      this.updateSignaling();
    };
    const onSync = (synced: boolean) => {
      if (!synced) return;
      options.timeline?.mark('first_sync');
      this.patch({ server: 'synced' });
    };
    // RS3/RS8: the server refused this client for good (4400-4499); say so.
    const onClosed = ({ code, reason }: { code: number; reason: string }) => {
      this.patch({ server: 'refused' });
      if (this.moderator?.serverClosed(code)) return;
      this.reject('server', { ok: false, reason: 'malformed', message: `server closed the sync (${code}): ${reason}` });
    };
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('closed', onClosed);
    this.moderator?.passEntriesTo(provider);
    this.cleanups.push(() => {
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('closed', onClosed);
    });
    return provider;
  }

  private reject(from: 'peer' | 'server', verdict: Extract<Verdict, { ok: false }>): void {
    const count = this.status.get().rejected.count + 1;
    if (count === 1) console.warn(`holoroom: rejected an update from the ${from}: ${verdict.message}`);
    this.patch({ rejected: { count, last: { from, reason: verdict.message } } });
  }

  /** Applies `changes`, notifying subscribers only if something actually changed. */
  private patch(changes: Partial<RoomStatus>): void {
    const current = this.status.get();
    const changed = (Object.keys(changes) as (keyof RoomStatus)[]).some((key) =>
      key === 'peers'
        ? peersKey(changes.peers ?? []) !== peersKey(current.peers)
        : !Object.is(changes[key], current[key]),
    );
    if (changed) this.status.set({ ...current, ...changes });
  }

  private readonly updateSignaling = () => {
    const connected = this.webrtc
      ? this.signalingConns.some((conn) => conn.connected)
      : this.server?.wsconnected === true;
    const previous = this.status.get().signaling;
    if (connected) this.patch({ signaling: 'connected' });
    // Once it has been up, a drop means "reconnecting", which is still "connecting".
    else if (previous === 'connected') this.patch({ signaling: 'connecting' });
  };

  private readonly updatePeers = () => {
    const provider = this.webrtc;
    this.patch({
      webrtcPeers: provider ? connectedRtcPeerCount(provider) : 0,
      broadcastPeers: provider ? (broadcastPeerCount(provider) ?? 0) : 0,
      peers: listPeers(this.awareness, this.names),
    });
  };
}
