/**
 * A Node room client for tests and benchmarks: the same guarded y-websocket
 * provider the browser uses (app/sync/server-provider.ts), over `ws`.
 */
import WebSocket from 'ws';
import { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { RoomId } from '../../app/core/ids.ts';
import { UpdateGate } from '../../app/sync/gate/update-gate.ts';
import type { Verdict } from '../../app/sync/gate/update-guard.ts';
import type { RoomCredential } from '../../app/sync/roles/room-credential.ts';
import { serverRoles } from '../../app/sync/roles/server-roles.ts';
import { loadSessionKey, type SessionKey } from '../../app/sync/roles/session-key.ts';
import { createServerProvider } from '../../app/sync/server-provider.ts';

export interface TestClient {
  doc: Y.Doc;
  awareness: Awareness;
  provider: WebsocketProvider;
  rejections: Extract<Verdict, { ok: false }>[];
  /** Resolves when the provider has synced with the server (bounded by `timeoutMs`). */
  synced(timeoutMs?: number): Promise<void>;
  destroy(): void;
}

/** MOD3, MOD4: the session a client proves and the owner entries it passes on. */
export interface TestClientSession {
  sessionKey: SessionKey;
  ownerEntries?: readonly Uint8Array[];
  /** ROLE11: a viewer's client sends its own grabs while this says so. */
  viewersMayGrab?: () => boolean;
}

/**
 * MOD4: a new session, as a fresh browser profile has. In a protected room an
 * owner's or editor's updates count only once its session is proven, so every
 * writing client of one needs this (or a session of its own).
 */
export async function newTestSession(): Promise<TestClientSession> {
  return { sessionKey: await loadSessionKey(undefined) };
}

/**
 * `httpUrl` is the server's base URL (`http://127.0.0.1:port`); in a
 * protected room `credential` is what the client proves (docs/roles.md),
 * and `session` the session it proves after it.
 */
export function connectTestClient(
  httpUrl: string,
  roomId: string,
  doc = new Y.Doc(),
  credential?: RoomCredential,
  session?: TestClientSession,
): TestClient {
  const awareness = new Awareness(doc);
  const gate = new UpdateGate(doc);
  const rejections: TestClient['rejections'] = [];
  const provider = createServerProvider({
    serverUrl: httpUrl.replace(/^http/, 'ws'),
    // Tests may ask for any room, valid or not: the server is what judges it.
    roomId: roomId as RoomId,
    doc,
    awareness,
    gate,
    onReject: (verdict) => rejections.push(verdict),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    ...(credential ? { roles: serverRoles({ credential, ...session }) } : {}),
  });
  return {
    doc,
    awareness,
    provider,
    rejections,
    synced(timeoutMs = 5_000) {
      if (provider.synced) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`client not synced after ${timeoutMs} ms`)), timeoutMs);
        const onSync = (state: boolean) => {
          if (!state) return;
          clearTimeout(timer);
          provider.off('sync', onSync);
          resolve();
        };
        provider.on('sync', onSync);
      });
    },
    destroy() {
      provider.destroy();
      awareness.destroy();
      gate.destroy();
      doc.destroy();
    },
  };
}

/** Polls `check` every 10 ms until true; throws with `describe()` after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
