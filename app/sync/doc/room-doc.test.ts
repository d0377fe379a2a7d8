import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { object, peer } from '../../../testing/ids.ts';
import { docOf, openRoomDoc, rawObjects } from '../../../testing/sync/room-docs.ts';
import { MAX_OBJECT_STATES, SCRIPT_MAX_CHARS } from './limits.ts';
import { detectRename, ORPHAN_TTL_MS } from './object-renames.ts';
import { isValidObjectId } from './object-state.ts';
import { ROOM_DOC_LAYOUT_VERSION, type ScriptSnapshot } from './room-doc.ts';

const transform = {
  position: [1, 2, 3] as [number, number, number],
  rotation: [0, 90, 0] as [number, number, number],
  scale: [1, 1, 1] as [number, number, number],
};

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('room document layout', () => {
  it('[DOC1] keeps the script as Y.Text, object state as a Y.Map of Y.Maps, and metadata', () => {
    const room = openRoomDoc();
    room.initMeta(1234);
    room.replaceScript('object "Cube" {}');
    room.setTransform(object('Cube'), transform);
    expect(docOf(room).get('script')).toBeInstanceOf(Y.Text);
    expect(docOf(room).getMap('objects').get('Cube')).toBeInstanceOf(Y.Map);
    expect(docOf(room).getMap('meta').get('layout')).toBe(ROOM_DOC_LAYOUT_VERSION);
    expect(docOf(room).getMap('meta').get('createdAt')).toBe(1234);
    expect(room.getObjectState('Cube')?.transform).toEqual(transform);
  });

  it('[DOC2] tells the scene about local and remote script changes, once per transaction', () => {
    const a = openRoomDoc();
    const b = openRoomDoc();
    const seen: ScriptSnapshot[] = [];
    b.observeScript((snapshot) => seen.push(snapshot));
    a.replaceScript('object "A" {}');
    sync(docOf(a), docOf(b));
    b.editScript(0, 0, '// hi\n');
    expect(seen).toEqual([
      { text: 'object "A" {}', withinLimit: true, local: false },
      { text: '// hi\nobject "A" {}', withinLimit: true, local: true },
    ]);
  });

  it('[DOC3] merges concurrent changes to different fields of one object', () => {
    const a = openRoomDoc();
    const b = openRoomDoc();
    a.setTransform(object('Lamp'), transform);
    sync(docOf(a), docOf(b));
    a.setOwner(object('Lamp'), peer(7));
    b.setStateValue(object('Lamp'), 'on', true);
    const changed: string[][] = [];
    a.observeObjects((ids) => changed.push([...ids]));
    sync(docOf(a), docOf(b));
    for (const room of [a, b]) {
      const state = room.getObjectState('Lamp');
      expect(state?.owner).toBe(7);
      expect(state?.state.get('on')).toBe(true);
      expect(state?.transform).toEqual(transform);
    }
    expect(changed).toEqual([['Lamp']]);
  });

  it('[DOC4] ignores malformed fields written by a peer', () => {
    const room = openRoomDoc();
    const entry = new Y.Map<unknown>();
    rawObjects(room).set('Bad', entry);
    entry.set('transform', { position: [1, 2], rotation: 'x', scale: [1, 1, 1] });
    entry.set('owner', 'me');
    entry.set('state.__proto__x', 1);
    entry.set('state.ok', 5);
    entry.set('state.bad key', 5);
    rawObjects(room).set('NotAMap', 5 as unknown as Y.Map<unknown>);
    const state = room.getObjectState('Bad');
    expect(state).toMatchObject({ owner: null });
    expect(state?.transform).toBeUndefined();
    expect([...(state?.state.keys() ?? [])]).toEqual(['__proto__x', 'ok']);
    expect(room.getObjectState('NotAMap')).toBeUndefined();
  });

  it('[CAP1] refuses to load a script over the cap and reports an over-cap script from peers', () => {
    const room = openRoomDoc();
    const big = 'x'.repeat(SCRIPT_MAX_CHARS + 1);
    expect(room.replaceScript(big)).toMatchObject({ ok: false });
    expect(room.scriptLength).toBe(0);
    // Two peers each under the cap can together go over it: the doc keeps it (convergence), the scene must not.
    room.editScript(0, 0, big);
    expect(room.scriptSnapshot().withinLimit).toBe(false);
  });

  it('[CAP2] refuses new object entries beyond the cap but still updates existing ones', () => {
    const room = openRoomDoc();
    docOf(room).transact(() => {
      for (let i = 0; i < MAX_OBJECT_STATES; i++) rawObjects(room).set(`o${i}`, new Y.Map());
    });
    expect(room.setOwner(object('one-too-many'), peer(1))).toMatchObject({ ok: false });
    expect(room.setOwner(object('o5'), peer(1))).toEqual({ ok: true });
    rawObjects(room).set('zz-from-a-peer', new Y.Map());
    expect(room.objectsWithinLimit).toBe(false);
    const states = room.allObjectStates();
    expect(states.size).toBe(MAX_OBJECT_STATES);
    expect(states.has(object('zz-from-a-peer'))).toBe(false);
  });
});

describe("the room's name", () => {
  it('[NAME1] is stored in meta, cleaned and capped, reaches other copies and tells observers', () => {
    const a = openRoomDoc();
    const b = openRoomDoc();
    const seen: string[] = [];
    b.observeRoomName((name) => seen.push(name));
    a.setRoomName('  Team\u0000 standup  ');
    expect(docOf(a).getMap('meta').get('name')).toBe('Team standup');
    sync(docOf(a), docOf(b));
    expect(b.roomName()).toBe('Team standup');
    b.setRoomName('x'.repeat(500));
    sync(docOf(a), docOf(b));
    expect(a.roomName()).toHaveLength(60);
    a.setRoomName('');
    sync(docOf(a), docOf(b));
    expect(b.roomName()).toBe('');
    expect(seen).toEqual(['Team standup', 'x'.repeat(60), '']);
  });

  it('[NAME1] a hostile value written by a peer reads as a clean name or none', () => {
    const room = openRoomDoc();
    docOf(room).getMap('meta').set('name', { toString: 'evil' });
    expect(room.roomName()).toBe('');
    docOf(room)
      .getMap('meta')
      .set('name', `\u0007${'y'.repeat(100_000)}`);
    expect(room.roomName()).toBe('y'.repeat(60));
  });
});

describe('object state across renames and removals', () => {
  it('[OBJ1] object ids are 1-256 characters without control characters', () => {
    for (const id of ['Crate', 'Group/Name', 'lamp-1', 'x'.repeat(256)]) expect(isValidObjectId(id)).toBe(true);
    for (const id of ['', 'x'.repeat(257), 'a\nb', 'a\u0000b', 'a\u007fb', 5, null])
      expect(isValidObjectId(id)).toBe(false);
  });

  it('[OBJ2] detects a rename as one id replaced in place, and nothing else', () => {
    expect(detectRename([object('A'), object('B'), object('C')], [object('A'), object('Bee'), object('C')])).toEqual({
      from: 'B',
      to: 'Bee',
    });
    expect(detectRename([object('A'), object('B')], [object('A')])).toBeUndefined();
    expect(detectRename([object('A'), object('B')], [object('B'), object('A')])).toBeUndefined();
    expect(
      detectRename([object('A'), object('B'), object('C')], [object('X'), object('B'), object('Y')]),
    ).toBeUndefined();
    expect(detectRename([object('A'), object('B')], [object('A'), object('A')])).toBeUndefined();
  });

  it('[OBJ2] moves the state to the new id, on every peer after sync', () => {
    const a = openRoomDoc();
    const b = openRoomDoc();
    a.setTransform(object('Chair'), transform);
    a.setStateValue(object('Chair'), 'sat', 3);
    sync(docOf(a), docOf(b));
    expect(a.renameObject({ from: object('Chair'), to: object('Stool') })).toBe(true);
    sync(docOf(a), docOf(b));
    expect(b.getObjectState('Chair')).toBeUndefined();
    expect(b.getObjectState('Stool')?.state.get('sat')).toBe(3);
    expect(b.getObjectState('Stool')?.transform).toEqual(transform);
  });

  it('[OBJ3] [OBJ4] keeps a removed object state as an orphan until it is older than the TTL', () => {
    const room = openRoomDoc();
    room.setOwner(object('Gone'), peer(1));
    room.setOwner(object('Kept'), peer(1));
    const now = Date.now();
    expect(room.pruneOrphans(new Set([object('Kept')]), now)).toBe(0);
    expect(room.getObjectState('Gone')).toBeDefined();
    expect(room.pruneOrphans(new Set([object('Kept')]), now + ORPHAN_TTL_MS + 1)).toBe(1);
    expect(room.getObjectState('Gone')).toBeUndefined();
    expect(room.getObjectState('Kept')).toBeDefined();
  });
});
