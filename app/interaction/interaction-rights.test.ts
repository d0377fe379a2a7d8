// ROLE10: what a page may do to shared objects, decided by its role, and asked
// by the real grab coordinator and the real scene runtime (real Yjs documents,
// the real WebAssembly parser in-process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { object } from '../../testing/ids.ts';
import { at, testPage } from '../../testing/interaction/grab-pages.ts';
import { testParserModule } from '../../testing/scene/parsed-scenes.ts';
import { docOf, openRoomDoc } from '../../testing/sync/room-docs.ts';
import { inProcessParser, type ScriptParser } from '../scene/parser/parser.ts';
import { SceneRuntime } from '../scene/runtime/scene-runtime.ts';
import { InteractionRights, type PageRole, VIEW_ONLY_HINT } from './interaction-rights.ts';

let parser: ScriptParser;
beforeAll(async () => {
  parser = inProcessParser(await testParserModule());
});
afterAll(() => parser.close());

const LAMP = `composition "Room" {
  object "Lamp" @clickable @hoverable {
    geometry: "sphere"; color: "#333333"
    state { on: false }
    on_click { toggle on; this.color = "#ffcc00" }
    on_hover_enter { this.color = "#00ff00" }
  }
}`;

describe('interaction rights', () => {
  it('[ROLE11] where the owner lets viewers grab, a viewer grabs (the setting asked at each grab) and still runs no handler', () => {
    let viewersMayGrab = false;
    const viewer = new InteractionRights('viewer', () => viewersMayGrab);
    expect(viewer.grabsShared()).toBe(false);
    expect(viewer.mayGrab(object('Crate'))).toBe(false);
    viewersMayGrab = true;
    expect(viewer.grabsShared()).toBe(true);
    expect(viewer.mayGrab(object('Crate'))).toBe(true);
    expect(viewer.mayRunHandler(object('Lamp'), 'click')).toBe(false);
    expect(viewer.changesShared).toBe(false);
    viewersMayGrab = false;
    expect(viewer.mayGrab(object('Crate'))).toBe(false);
    expect(viewer.refused.get().count).toBe(3);
  });

  it('[ROLE10] an open room, an owner and an editor change shared objects; a viewer does not, and is told why', () => {
    for (const role of ['open', 'owner', 'editor'] as PageRole[]) {
      const rights = new InteractionRights(role);
      expect(rights.changesShared).toBe(true);
      expect(rights.mayGrab(object('Crate'))).toBe(true);
      expect(rights.mayRunHandler(object('Lamp'), 'click')).toBe(true);
      expect(rights.hint).toBeUndefined();
      expect(rights.refused.get().count).toBe(0);
    }
    const viewer = new InteractionRights('viewer');
    expect(viewer.changesShared).toBe(false);
    expect(viewer.hint).toBe(VIEW_ONLY_HINT);
    const seen: number[] = [];
    viewer.refused.subscribe(({ count }) => seen.push(count));
    expect(viewer.mayGrab(object('Crate'))).toBe(false);
    expect(viewer.mayRunHandler(object('Lamp'), 'click')).toBe(false);
    // Hovering and the handlers a grab would run are refused too, but they are not attempts to explain.
    for (const event of ['hoverenter', 'hoverexit', 'grab', 'release']) {
      expect(viewer.mayRunHandler(object('Lamp'), event)).toBe(false);
    }
    expect(seen).toEqual([1, 2]);
    expect(viewer.refused.get().last).toBe('Lamp');
  });

  it('[ROLE10] a viewer page grabs nothing: no claim written, nothing held or streamed, no grab handler', () => {
    const viewer = new InteractionRights('viewer');
    const page = testPage(5, { mayGrab: (id) => viewer.mayGrab(id) });
    const updates: Uint8Array[] = [];
    page.doc.on('update', (update: Uint8Array) => updates.push(update));
    expect(page.grabs.grab('pointer', object('Crate'), at(0, 1, 0), at(0, 1, -0.1))).toBe('not-allowed');
    expect(page.grabs.grab('xr-right', object('Ball'), at(0, 1, 0), at(0, 1, -0.1))).toBe('not-allowed');
    page.grabs.move('pointer', at(2, 1, 0));
    page.grabs.frame(16);
    page.grabs.release('pointer');
    expect(updates).toEqual([]);
    expect(page.room.getObjectState('Crate')).toBeUndefined();
    expect(page.grabs.holding('pointer')).toBeUndefined();
    expect(page.grabs.isLocal(object('Crate'))).toBe(false);
    expect(page.streamed.size).toBe(0);
    expect(page.events).toEqual([]);
    expect(viewer.refused.get().count).toBe(2);

    // The same coordinator with an editor's rights claims it.
    const editor = new InteractionRights('editor');
    const editorPage = testPage(9, { mayGrab: (id) => editor.mayGrab(id) });
    expect(editorPage.grabs.grab('pointer', object('Crate'), at(0, 1, 0), at(0, 1, -0.1))).toBe('held');
    expect(editorPage.room.getObjectState('Crate')?.owner).toBe(9);
  });

  it('[ROLE10] a viewer page runs no handler: a click and a hover change neither its document nor what it draws', async () => {
    const run = async (role: PageRole) => {
      const rights = new InteractionRights(role);
      const room = openRoomDoc();
      room.replaceScript(LAMP);
      const runtime = new SceneRuntime({
        room,
        parse: (text) => parser.parseLatest(role, text),
        mayRunHandler: (id, event) => rights.mayRunHandler(id, event),
      }).start();
      await Promise.all([runtime.settled(), runtime.loadHandlers()]);
      const updates: Uint8Array[] = [];
      docOf(room).on('update', (update: Uint8Array) => updates.push(update));
      const hover = runtime.dispatch(object('Lamp'), 'hoverenter');
      const click = runtime.dispatch(object('Lamp'), 'click');
      const lamp = runtime.view.get().model?.byId.get(object('Lamp'));
      runtime.destroy();
      return { hover, click, updates: updates.length, on: lamp?.state.get('on'), rights, room };
    };
    const viewer = await run('viewer');
    expect(viewer.click).toMatchObject({ ok: true, handled: false });
    expect(viewer.hover).toMatchObject({ ok: true, handled: false });
    expect(viewer.updates).toBe(0);
    expect(viewer.on).toBe(false);
    expect(viewer.room.getObjectState('Lamp')).toBeUndefined();
    expect(viewer.rights.refused.get().count).toBe(1);

    const editor = await run('editor');
    expect(editor.click).toMatchObject({ ok: true, handled: true });
    expect(editor.updates).toBeGreaterThan(0);
    expect(editor.on).toBe(true);
  });
});
