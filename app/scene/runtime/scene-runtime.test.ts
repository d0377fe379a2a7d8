// The live scene over real Yjs documents and the real WebAssembly parser
// (in-process, the same API and latest-wins lanes as the worker pool).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { object } from '../../../testing/ids.ts';
import { testParserModule } from '../../../testing/scene/parsed-scenes.ts';
import { openRoomDoc } from '../../../testing/sync/room-docs.ts';
import type { ObjectId } from '../../core/ids.ts';
import { SCRIPT_MAX_CHARS } from '../../sync/doc/limits.ts';
import { ORPHAN_TTL_MS } from '../../sync/doc/object-renames.ts';
import { RoomDoc } from '../../sync/doc/room-doc.ts';
import type { MeshNode } from '../model/scene-model.ts';
import { inProcessParser, type ScriptParser } from '../parser/parser.ts';
import { MAX_WAITING_EVENTS, SceneRuntime } from './scene-runtime.ts';

let parser: ScriptParser;

beforeAll(async () => {
  parser = inProcessParser(await testParserModule());
});
afterAll(() => parser.close());

const LAMP = `composition "Room" {
  object "Lamp" @clickable {
    geometry: "sphere"; color: "#333333"
    state { on: false }
    on_click { toggle on; if (on) { this.color = "#ffcc00" } else { this.color = "#333333" } }
  }
  object "Table" { position: [0, 0.7, 0] }
}`;

function startRuntime(room: RoomDoc, lane = 'scene', now = () => Date.now()) {
  return new SceneRuntime({ room, parse: (text) => parser.parseLatest(lane, text), now }).start();
}

/** A runtime whose handlers' code has loaded (LOAD19), so `dispatch` runs a handler at once. */
async function startRuntimeWithHandlers(room: RoomDoc, lane = 'scene'): Promise<SceneRuntime> {
  const runtime = startRuntime(room, lane);
  expect(await runtime.loadHandlers()).toBe(true);
  return runtime;
}

function connect(a: Y.Doc, b: Y.Doc): void {
  a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update, 'peer'));
  b.on('update', (update: Uint8Array) => Y.applyUpdate(a, update, 'peer'));
}

function color(runtime: SceneRuntime, id: string): string | undefined {
  const node = runtime.view.get().model?.byId.get(object(id)) as MeshNode | undefined;
  return node?.material.color;
}

describe('scene runtime', () => {
  it('[RUN1] builds the scene from the shared script and follows every change', async () => {
    const room = openRoomDoc();
    room.replaceScript(LAMP);
    const runtime = startRuntime(room);
    await runtime.settled();
    expect(runtime.view.get()).toMatchObject({ phase: 'ready', errors: 0, stale: false, builds: 1 });
    expect([...(runtime.view.get().model?.byId.keys() ?? [])]).toEqual(['Lamp', 'Table']);
    room.editScript(room.scriptLength, 0, '\nobject "Chair" {}');
    await runtime.settled();
    expect(runtime.view.get().model?.byId.has(object('Chair'))).toBe(true);
    runtime.destroy();
  });

  it('[RUN1] while text changes quickly only the newest is built', async () => {
    const room = openRoomDoc();
    const runtime = startRuntime(room, 'burst');
    for (let i = 0; i < 20; i++) room.editScript(room.scriptLength, 0, `object "o${i}" {}\n`);
    await runtime.settled();
    const view = runtime.view.get();
    expect(view.model?.byId.size).toBe(20);
    expect(view.builds).toBeLessThan(20);
    runtime.destroy();
  });

  it('[RUN2] a script with errors keeps the last good scene, marked stale, with the first error', async () => {
    const room = openRoomDoc();
    room.replaceScript(LAMP);
    const runtime = startRuntime(room);
    await runtime.settled();
    const good = runtime.view.get().model;
    room.editScript(room.scriptLength, 0, '\nobject "Broken" { color: }');
    await runtime.settled();
    const view = runtime.view.get();
    expect(view.model).toBe(good);
    expect(view).toMatchObject({ stale: true, errors: 1, firstError: { line: 9 } });
    room.editScript(room.scriptLength - ' color: }'.length, ' color: }'.length);
    room.editScript(room.scriptLength, 0, '}');
    await runtime.settled();
    expect(runtime.view.get()).toMatchObject({ stale: false, errors: 0 });
    expect(runtime.view.get().model?.byId.has(object('Broken'))).toBe(true);
    runtime.destroy();
  });

  it('[RUN2] a script over the size limit keeps the last good scene', async () => {
    const room = openRoomDoc();
    room.replaceScript(LAMP);
    const runtime = startRuntime(room);
    await runtime.settled();
    const good = runtime.view.get().model;
    room.editScript(room.scriptLength, 0, `\n// ${'x'.repeat(SCRIPT_MAX_CHARS)}`);
    await runtime.settled();
    expect(runtime.view.get()).toMatchObject({ overSizeLimit: true, stale: true });
    expect(runtime.view.get().model).toBe(good);
    runtime.destroy();
  });

  it('[RUN3][RUN4] a click in one peer changes the object for the other peer, through the room document', async () => {
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    connect(docA, docB);
    const roomA = new RoomDoc(docA);
    const roomB = new RoomDoc(docB);
    roomA.replaceScript(LAMP);
    const a = await startRuntimeWithHandlers(roomA, 'a');
    const b = await startRuntimeWithHandlers(roomB, 'b');
    await Promise.all([a.settled(), b.settled()]);
    expect(color(b, 'Lamp')).toBe('#333333');

    const result = a.dispatch(object('Lamp'), 'click');
    expect(result).toMatchObject({ ok: true, handled: true });
    // B never ran the handler: its model follows A's write to the shared object state.
    expect(roomB.getObjectState('Lamp')?.props.get('color')).toBe('#ffcc00');
    expect(color(b, 'Lamp')).toBe('#ffcc00');
    expect(b.view.get().model?.byId.get(object('Lamp'))?.state.get('on')).toBe(true);

    b.dispatch(object('Lamp'), 'click');
    expect(color(a, 'Lamp')).toBe('#333333');
    a.destroy();
    b.destroy();
  });

  it('[RUN4][INT9] a handler fault is reported in the view and writes nothing', async () => {
    const room = openRoomDoc();
    room.replaceScript('object "A" { on_click { set x 1; this.color = 5 > 4 } }');
    const runtime = await startRuntimeWithHandlers(room);
    await runtime.settled();
    const result = runtime.dispatch(object('A'), 'click');
    expect(result.ok).toBe(false);
    expect(room.objectCount).toBe(0);
    expect(runtime.view.get().lastHandlerProblem).toMatchObject({
      objectId: 'A',
      event: 'click',
      error: { code: 'TYPE' },
    });
    runtime.destroy();
  });

  it("[RUN5] renaming an object in this peer's editor moves its state to the new id", async () => {
    const room = openRoomDoc();
    room.replaceScript(LAMP);
    const runtime = await startRuntimeWithHandlers(room);
    await runtime.settled();
    runtime.dispatch(object('Lamp'), 'click');
    // A local edit renames Lamp to Light.
    const at = room.scriptText().indexOf('"Lamp"') + 1;
    room.editScript(at, 4, 'Light');
    await runtime.settled();
    expect(room.getObjectState('Light')?.props.get('color')).toBe('#ffcc00');
    expect(room.getObjectState('Lamp')).toBeUndefined();
    expect(color(runtime, 'Light')).toBe('#ffcc00');
    runtime.destroy();
  });

  it('[RUN6] orphaned state is pruned only after this peer saw it orphaned for the whole TTL', async () => {
    let now = 1_000_000_000_000;
    const doc = new Y.Doc();
    const room = new RoomDoc(doc);
    room.replaceScript(LAMP);
    const runtime = startRuntime(room, 'prune', () => now);
    await runtime.settled();
    // Old state of an object that is about to leave the script, as a peer wrote it long ago.
    doc.transact(() => {
      const entry = new Y.Map<unknown>();
      doc.getMap<Y.Map<unknown>>('objects').set('Table', entry);
      entry.set('state.n', 1);
      entry.set('updatedAt', now - 2 * ORPHAN_TTL_MS);
    });
    room.replaceScript(LAMP.replace('object "Table" { position: [0, 0.7, 0] }', ''));
    await runtime.settled();
    expect(room.hasObjectState('Table')).toBe(true);
    now += ORPHAN_TTL_MS + 1;
    room.editScript(room.scriptLength, 0, '\n');
    await runtime.settled();
    expect(room.hasObjectState('Table')).toBe(false);
    runtime.destroy();
  });

  it('[MERGE3][CMD6][CMD7][SPAWN1][SPAWN3] spawn makes a shared object; destroy removes it', async () => {
    const room = openRoomDoc();
    room.replaceScript(`template "Ball" { geometry: "sphere"; scale: 0.2; on_click { destroy } }
      object "Spawner" { on_click { spawn "Ball" at [0, 2, 0] } }`);
    const runtime = await startRuntimeWithHandlers(room);
    await runtime.settled();
    runtime.dispatch(object('Spawner'), 'click');
    const spawned = [...(runtime.view.get().model?.byId.values() ?? [])].filter((node) => node.spawned);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]?.transform.position).toEqual([0, 2, 0]);
    // The copy is an entry of the shared room document, which every peer draws.
    expect(room.getObjectState(spawned[0]?.id as ObjectId)?.props.get('spawnOf')).toBe('Ball');
    expect([...room.objectIds()].filter((id) => id.startsWith('@spawn/'))).toEqual([spawned[0]?.id]);
    runtime.dispatch(spawned[0]?.id as ObjectId, 'click');
    expect([...(runtime.view.get().model?.byId.values() ?? [])].some((node) => node.spawned)).toBe(false);
    expect([...room.objectIds()].some((id) => id.startsWith('@spawn/'))).toBe(false);
    runtime.destroy();
  });

  const TALLY = `object "Tally" @clickable @hoverable {
  state { marks: "" }
  on_click { state.marks = state.marks + "c" }
  on_hover_enter { state.marks = state.marks + "h" }
}
object "Plain" { position: [1, 0, 0] }`;

  const marks = (runtime: SceneRuntime) => runtime.view.get().model?.byId.get(object('Tally'))?.state.get('marks');

  /** Waits (at most `ms`) for the runtime's handlers' code, which something other than the test started loading. */
  async function handlersLoaded(runtime: SceneRuntime, ms = 2000): Promise<boolean> {
    const until = performance.now() + ms;
    while (!runtime.handlersLoaded && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
    return runtime.handlersLoaded;
  }

  it("[LOAD19] before the handlers' code has loaded, events with a handler wait for it and run then, in order; one without a handler loads nothing", async () => {
    const room = openRoomDoc();
    room.replaceScript(TALLY);
    const runtime = startRuntime(room);
    await runtime.settled();
    // Nobody handles a click on Plain: no interpreter is needed, none is loaded.
    expect(runtime.dispatch(object('Plain'), 'click')).toMatchObject({ ok: true, handled: false });
    expect(await handlersLoaded(runtime, 200)).toBe(false);
    // Tally's events wait, write nothing yet, and start the load.
    expect(runtime.dispatch(object('Tally'), 'click')).toEqual({ ok: true, handled: false, waiting: true });
    expect(runtime.dispatch(object('Tally'), 'hoverenter')).toEqual({ ok: true, handled: false, waiting: true });
    runtime.dispatch(object('Tally'), 'click');
    expect(marks(runtime)).toBe('');
    expect(room.objectCount).toBe(0);
    expect(await handlersLoaded(runtime)).toBe(true);
    expect(marks(runtime)).toBe('chc');
    // From then on a handler runs at once.
    expect(runtime.dispatch(object('Tally'), 'click')).toMatchObject({ ok: true, handled: true });
    expect(marks(runtime)).toBe('chcc');
    runtime.destroy();
  });

  it("[LOAD19] at most MAX_WAITING_EVENTS events wait for the handlers' code; later ones are dropped", async () => {
    const room = openRoomDoc();
    room.replaceScript(TALLY);
    const runtime = startRuntime(room);
    await runtime.settled();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const results = Array.from({ length: MAX_WAITING_EVENTS + 1 }, () => runtime.dispatch(object('Tally'), 'click'));
    expect(results.filter((result) => 'waiting' in result)).toHaveLength(MAX_WAITING_EVENTS);
    expect(results.at(-1)).toMatchObject({ ok: true, handled: false });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('dropped'));
    warn.mockRestore();
    expect(await handlersLoaded(runtime)).toBe(true);
    expect(marks(runtime)).toBe('c'.repeat(MAX_WAITING_EVENTS));
    runtime.destroy();
  });

  it("[LOAD19] once the room wants them, the handlers' code loads with the first scene that has a handler", async () => {
    const room = openRoomDoc();
    room.replaceScript('object "Plain" {}');
    const runtime = startRuntime(room);
    await runtime.settled();
    runtime.loadHandlersWhenUsed();
    expect(await handlersLoaded(runtime, 200)).toBe(false);
    room.replaceScript(TALLY);
    await runtime.settled();
    expect(await handlersLoaded(runtime)).toBe(true);
    runtime.destroy();
  });
});
