// [ROOM10] [ROOM11] [ROOM12] The page's XR store reaches the room when its code
// has loaded, not before the room opens (app/room/xr-hand-over.ts, used by
// startPageRoom): rooms opened in Node against the real server (document over
// its sync socket, poses over its relay), with an XR code load the test
// resolves, or rejects, when it chooses.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { room as roomId } from '../../testing/ids.ts';
import { openNodeRoom } from '../../testing/room/node-room.ts';
import { createStore } from '../core/store.ts';
import type { Room } from './open-room.ts';
import { type PageXRStore, XRHandOver } from './xr-hand-over.ts';
import type { XRSessionState } from './xr-session.ts';

let server: TestServer;
const rooms: Room[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const room of rooms.splice(0)) room.destroy();
  await server?.close();
});

function open(name: string) {
  const opened = openNodeRoom(server, roomId('xrhandover1'), name);
  rooms.push(opened.room);
  return opened.room;
}

/**
 * A session source as @react-three/xr's store is one for the room: its state, listeners told
 * the state and the one before it. `destroyed` counts `destroy()` calls.
 */
class SessionStore implements PageXRStore {
  destroyed = 0;
  private readonly state = createStore<XRSessionState>({});
  getState(): XRSessionState {
    return this.state.get();
  }
  subscribe(listener: (state: XRSessionState, previous: XRSessionState) => void): () => void {
    let previous = this.state.get();
    return this.state.subscribe((state) => {
      const before = previous;
      previous = state;
      listener(state, before);
    });
  }
  setState(next: XRSessionState): void {
    this.state.set(next);
  }
  destroy(): void {
    this.destroyed++;
  }
}

/** An XR code load that ends when the test says. */
function controlledLoad() {
  let resolve: (store: SessionStore | undefined) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<SessionStore | undefined>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Waits (stepping the rooms' frames as their renderers would) until `done()`, for at most `timeoutMs`. */
async function until(drawn: Room[], done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not reached in ${timeoutMs} ms: ${what()}`);
    for (const room of drawn) room.frame(performance.now());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Whether `room` has decoded a pose batch from the peer named `name`. */
function heardFrom(room: Room, name: string): boolean {
  const peer = room.pose.channel.peerList.get().find((entry) => entry.name === name);
  const remote = peer && room.pose.channel.peers.get(peer.id);
  return remote !== undefined && Object.keys(remote.firstBatchAt).length > 0;
}

function inXR(room: Room): boolean | undefined {
  const local = room.session.awareness.getLocalState() as { user?: { inXR?: boolean } } | null;
  return local?.user?.inXR;
}

/** The room is open and talks to the server and to the other page: synced, relay open, poses both ways. */
async function connected(ann: Room, bob: Room): Promise<void> {
  await until(
    [ann, bob],
    () =>
      ann.session.status.get().server === 'synced' &&
      ann.timeline.at('relay_open') !== undefined &&
      heardFrom(ann, 'Bob') &&
      heardFrom(bob, 'Ann'),
    15_000,
    () => `Ann: ${JSON.stringify(ann.session.status.get())}, relay_open ${ann.timeline.at('relay_open')}`,
  );
}

describe('XR hand-over', () => {
  it('[ROOM10] the room opens and connects while the XR code loads, then follows the store that arrives', async () => {
    server = await startTestServer();
    const load = controlledLoad();
    const xr = new XRHandOver(load.promise);
    const ann = open('Ann');
    const bob = open('Bob');
    xr.attachTo(ann);
    await connected(ann, bob);
    // Still loading: no store for the page, none followed by the room.
    expect(xr.store.get()).toBeUndefined();
    expect(ann.inspect().xrStore).toBeUndefined();

    const store = new SessionStore();
    const seen: (SessionStore | undefined)[] = [];
    xr.store.subscribe((value) => seen.push(value));
    load.resolve(store);
    await settle();
    expect(seen).toEqual([store]);
    expect(ann.inspect().xrStore).toBe(store);
    // The room follows the store's sessions: a session starting puts this person in XR for everyone.
    const session = new EventTarget() as unknown as XRSession;
    store.setState({ session, mode: 'immersive-vr' });
    expect(inXR(ann)).toBe(true);
    store.setState({});
    expect(inXR(ann)).toBe(false);
    expect(store.destroyed).toBe(0);
    xr.close();
    expect(store.destroyed).toBe(1);
    expect(xr.store.get()).toBeUndefined();
  });

  it('[ROOM10] a store that arrived before the room opened is handed over when it opens', async () => {
    server = await startTestServer();
    const store = new SessionStore();
    const xr = new XRHandOver(Promise.resolve(store));
    await settle();
    expect(xr.store.get()).toBeUndefined();
    const ann = open('Ann');
    xr.attachTo(ann);
    expect(xr.store.get()).toBe(store);
    expect(ann.inspect().xrStore).toBe(store);
    xr.close();
  });

  it('[ROOM11] a room closed before its XR store arrives destroys the store on arrival; the store reaches no one', async () => {
    server = await startTestServer();
    const load = controlledLoad();
    const xr = new XRHandOver(load.promise);
    const ann = open('Ann');
    xr.attachTo(ann);
    const seen: (SessionStore | undefined)[] = [];
    xr.store.subscribe((value) => seen.push(value));
    // As startPageRoom closes a room: the room first, then its hand-over.
    rooms.splice(rooms.indexOf(ann), 1);
    ann.destroy();
    xr.close();
    const store = new SessionStore();
    load.resolve(store);
    await settle();
    expect(store.destroyed).toBe(1);
    expect(seen).toEqual([]);
    expect(xr.store.get()).toBeUndefined();
    // A page closed before its room opened (nothing attached) destroys the late store the same way.
    const early = controlledLoad();
    const unattached = new XRHandOver(early.promise);
    unattached.close();
    const late = new SessionStore();
    early.resolve(late);
    await settle();
    expect(late.destroyed).toBe(1);
  });

  it('[ROOM12] XR code that fails to load leaves a working room without XR, and says why once', async () => {
    server = await startTestServer();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const load = controlledLoad();
    const xr = new XRHandOver(load.promise);
    const ann = open('Ann');
    const bob = open('Bob');
    xr.attachTo(ann);
    load.reject(new Error('Failed to fetch dynamically imported module: /assets/xr-store-x.js'));
    await settle();
    expect(xr.failure.get()).toBe('Failed to fetch dynamically imported module: /assets/xr-store-x.js');
    expect(xr.store.get()).toBeUndefined();
    expect(ann.inspect().xrStore).toBeUndefined();
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[0])).toContain('the room goes on without VR');
    // The room itself goes on: it syncs, relays and hears the other page.
    await connected(ann, bob);
    xr.close();
  });
});
