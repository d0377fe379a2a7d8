// [DRAW9] The avatars' drawing code loads with the first remote peer the pose
// channel knows, renderer or not, and the registry says when it is there (the
// join waits for it, ROOM6). Plain TypeScript: a store stands for the channel's
// peer list, a promise the test settles for the code's import.
import { Group, Mesh, MeshBasicMaterial, SphereGeometry } from 'three';
import { describe, expect, it, vi } from 'vitest';
import { peer } from '../../testing/ids.ts';
import { createStore } from '../core/store.ts';
import { type AvatarPhase, AvatarRegistry } from './avatars.ts';

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function drawnAvatar() {
  const head = new Group();
  head.add(new Mesh(new SphereGeometry(0.1), new MeshBasicMaterial()));
  return { root: new Group(), head, tag: new Group(), left: new Group(), right: new Group() };
}

describe('the avatars’ code', () => {
  it('[DRAW9] loads once, with the first remote peer, and is ready when it has arrived', async () => {
    const phases: AvatarPhase[] = [];
    const registry = new AvatarRegistry((phase) => phases.push(phase));
    // Nothing loads avatar code (a Node room, `?render=off`): a peer can be drawn at once.
    expect(registry.codeReady.get()).toBe(true);
    const peers = createStore<readonly number[]>([]);
    const code = deferred();
    const load = vi.fn(() => code.promise);
    const readiness: boolean[] = [];
    registry.codeReady.subscribe((ready) => readiness.push(ready));
    registry.loadCodeWith(peers, load);
    // A page that draws: not ready, and nothing fetched while nobody else is in the room (LOAD20).
    expect(registry.codeReady.get()).toBe(false);
    expect(load).not.toHaveBeenCalled();
    peers.set([1]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(phases).toEqual(['avatar_code_requested']);
    peers.set([1, 2]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(registry.codeReady.get()).toBe(false);
    code.resolve();
    await code.promise;
    await Promise.resolve();
    expect(registry.codeReady.get()).toBe(true);
    expect(readiness).toEqual([false, true]);
    expect(phases).toEqual(['avatar_code_requested', 'avatar_code_loaded']);
    // The view made again over the same room (its page's state changed): the code is here, nothing loads.
    registry.loadCodeWith(peers, load);
    expect(load).toHaveBeenCalledTimes(1);
    expect(registry.codeReady.get()).toBe(true);
  });

  it('[DRAW9] loads at once when a peer is already known; a failed load is logged and counts as ready', async () => {
    const registry = new AvatarRegistry();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const code = deferred();
      registry.loadCodeWith(createStore<readonly number[]>([7]), () => code.promise);
      expect(registry.codeReady.get()).toBe(false);
      code.reject(new Error('offline'));
      await code.promise.catch(() => {});
      await Promise.resolve();
      expect(registry.codeReady.get()).toBe(true);
      expect(error).toHaveBeenCalledTimes(1);
      expect(String(error.mock.calls[0]?.[0])).toContain('offline');
    } finally {
      error.mockRestore();
    }
  });

  it('[DRAW9] a stopped watch loads nothing', () => {
    const registry = new AvatarRegistry();
    const peers = createStore<readonly number[]>([]);
    const load = vi.fn(() => Promise.resolve());
    registry.loadCodeWith(peers, load)();
    peers.set([1]);
    expect(load).not.toHaveBeenCalled();
  });

  it('[DRAW9] marks the first avatar added, then drawn (three’s onAfterRender on its head), each once', () => {
    const phases: AvatarPhase[] = [];
    const registry = new AvatarRegistry((phase) => phases.push(phase));
    const first = drawnAvatar();
    const remove = registry.add(peer(1), first);
    registry.add(peer(2), drawnAvatar());
    expect(phases).toEqual(['first_avatar_added']);
    const mesh = first.head.children[0] as Mesh;
    // As three calls it after drawing the mesh.
    mesh.onAfterRender.call(mesh, ...([] as unknown as Parameters<Mesh['onAfterRender']>));
    mesh.onAfterRender.call(mesh, ...([] as unknown as Parameters<Mesh['onAfterRender']>));
    remove();
    registry.add(peer(3), drawnAvatar());
    expect(phases).toEqual(['first_avatar_added', 'first_avatar_drawn']);
  });
});
