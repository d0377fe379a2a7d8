// Room-document object state laid over a built model (MERGE1-MERGE4).

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { object } from '../../../testing/ids.ts';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import { openRoomDoc, rawObjects } from '../../../testing/sync/room-docs.ts';
import type { RoomDoc } from '../../sync/doc/room-doc.ts';
import { MAX_SPAWNED } from './limits.ts';
import { mergeObjectStates, SPAWN_OF_PROP } from './merge-state.ts';
import type { LightNode, MeshNode, TextNode } from './scene-model.ts';

const script = `state { score: 0 }
  template "Spark" { geometry: "sphere"; color: "#ffaa00"; object "Core" {} }
  group "Shelf" { object "A" { color: "#ff0000"; state { n: 1 }; @glowing } object "B" {} }
  object "Sign" { text: "Hello" }
  point_light "Lamp" { intensity: 1 }`;

function room(): RoomDoc {
  return openRoomDoc();
}

describe('merge', () => {
  it('[MERGE1] a stored transform replaces the script transform and marks the node moved', async () => {
    const model = await modelOf(script);
    const doc = room();
    doc.setTransform(object('Shelf/A'), { position: [1, 2, 3], rotation: [0, 90, 0], scale: [2, 2, 2] });
    const merged = mergeObjectStates(model, doc.allObjectStates());
    expect(merged.byId.get(object('Shelf/A'))).toMatchObject({ moved: true, transform: { position: [1, 2, 3] } });
    expect(merged.byId.get(object('Shelf/B'))?.moved).toBe(false);
  });

  it('[MERGE2] state and props replace script values; other nodes keep their identity', async () => {
    const model = await modelOf(script);
    const doc = room();
    doc.setStateValue(object('Shelf/A'), 'n', 5);
    doc.setPropValue(object('Shelf/A'), 'color', '#00ff00');
    doc.setPropValue(object('Shelf/A'), 'trait_glowing', false);
    doc.setPropValue(object('Sign'), 'text', 'Bye');
    doc.setPropValue(object('Lamp'), 'intensity', 3);
    const merged = mergeObjectStates(model, doc.allObjectStates());
    const a = merged.byId.get(object('Shelf/A')) as MeshNode;
    expect(a.state.get('n')).toBe(5);
    expect(a.material.color).toBe('#00ff00');
    expect(a.traits.glowing).toBeNull();
    expect((merged.byId.get(object('Sign')) as TextNode).text.text).toBe('Bye');
    expect((merged.byId.get(object('Lamp')) as LightNode).light.intensity).toBe(3);
    // Unchanged nodes are the same objects: the renderer skips them.
    expect(merged.byId.get(object('Shelf/B'))).toBe(model.byId.get(object('Shelf/B')));
    // The script model itself is never changed.
    expect((model.byId.get(object('Shelf/A')) as MeshNode).material.color).toBe('#ff0000');
  });

  it('[PROP3] values a peer wrote that do not fit are ignored', async () => {
    const model = await modelOf(script);
    const doc = room();
    const entry = new Y.Map<unknown>();
    rawObjects(doc).set('Shelf/A', entry);
    entry.set('prop.color', 'not-a-colour');
    entry.set('prop.opacity', 'lots');
    entry.set('prop.visible', 'yes');
    entry.set('prop.constructor', true);
    const merged = mergeObjectStates(model, doc.allObjectStates());
    const a = merged.byId.get(object('Shelf/A')) as MeshNode;
    expect(a.material).toMatchObject({ color: '#ff0000', opacity: 1 });
    expect(a.visible).toBe(true);
  });

  it('[MERGE3] scene state and spawned copies of templates and objects', async () => {
    const model = await modelOf(script);
    const doc = room();
    doc.setStateValue(object('@scene'), 'score', 7);
    doc.setPropValue(object('@spawn/x1'), SPAWN_OF_PROP, 'Spark');
    doc.setTransform(object('@spawn/x1'), { position: [0, 1, 0], rotation: [0, 0, 0], scale: [1, 1, 1] });
    doc.setPropValue(object('@spawn/x2'), SPAWN_OF_PROP, 'Sign');
    doc.setPropValue(object('@spawn/x3'), SPAWN_OF_PROP, 'NoSuchThing');
    const merged = mergeObjectStates(model, doc.allObjectStates());
    expect(merged.sceneState.get('score')).toBe(7);
    expect(merged.byId.get(object('@spawn/x1'))).toMatchObject({ kind: 'mesh', geometry: 'sphere', spawned: true });
    expect(merged.byId.get(object('@spawn/x1/Core'))?.spawned).toBe(true);
    expect(merged.parentOf.get(object('@spawn/x1/Core'))).toBe('@spawn/x1');
    expect(merged.byId.get(object('@spawn/x2'))).toMatchObject({ kind: 'text', text: { text: 'Hello' } });
    expect(merged.byId.has(object('@spawn/x3'))).toBe(false);
    expect(merged.roots.map((node) => node.id).slice(-2)).toEqual(['@spawn/x1', '@spawn/x2']);
  });

  it(`[LIMIT6] at most ${MAX_SPAWNED} spawned objects are drawn`, async () => {
    const model = await modelOf(script);
    const doc = room();
    for (let i = 0; i < MAX_SPAWNED + 5; i++) {
      doc.setPropValue(object(`@spawn/${String(i).padStart(3, '0')}`), SPAWN_OF_PROP, 'Spark');
    }
    const merged = mergeObjectStates(model, doc.allObjectStates());
    expect(merged.roots.filter((node) => node.spawned)).toHaveLength(MAX_SPAWNED);
    expect(merged.limits.map((notice) => notice.rule)).toContain('LIMIT6');
  });

  it('[MERGE4] state for ids the script does not have is not drawn', async () => {
    const model = await modelOf(script);
    const doc = room();
    doc.setStateValue(object('Gone'), 'n', 1);
    const merged = mergeObjectStates(model, doc.allObjectStates());
    expect(merged.byId.has(object('Gone'))).toBe(false);
    expect(merged.roots.length).toBe(model.roots.length);
  });
});
