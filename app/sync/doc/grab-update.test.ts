/**
 * ROLE11 (docs/roles.md): the check of a viewer's update when viewers may
 * grab. A grab's own writes, made through RoomDoc as the grab coordinator
 * makes them, pass, checked against the receiver's copy before the update
 * and against the sender's own copy after it; an update that also touches
 * anything else is refused as a whole, and no input makes the check throw.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { objectId, type PeerId } from '../../core/ids.ts';
import { checkGrabUpdate, MAX_GRAB_UPDATE_BYTES } from './grab-update.ts';
import { RoomDoc } from './room-doc.ts';

const crate = objectId('Crate');
const moved = {
  position: [1, 0.5, -2] as [number, number, number],
  rotation: [0, 90, 0] as [number, number, number],
  scale: [1, 1, 1] as [number, number, number],
};

/** An editor's room with a script and an object that has state, and a viewer's copy of it. */
function room() {
  const editorDoc = new Y.Doc();
  const editor = new RoomDoc(editorDoc);
  editor.replaceScript('box Crate { grabbable: true }\nbox Lamp { }\n');
  editor.setTransform(crate, { position: [0, 0.5, 0], rotation: [0, 0, 0], scale: [1, 1, 1] });
  editor.setStateValue(crate, 'opened', true);
  editor.setPropValue(objectId('Lamp'), 'color', 'red');
  const viewerDoc = new Y.Doc();
  Y.applyUpdate(viewerDoc, Y.encodeStateAsUpdate(editorDoc));
  const viewer = new RoomDoc(viewerDoc);
  return { editorDoc, editor, viewerDoc, viewer, self: viewerDoc.clientID as PeerId };
}

/** The update `change` makes on `doc`, as its providers would send it. */
function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const listen = (update: Uint8Array) => updates.push(update);
  doc.on('update', listen);
  change();
  doc.off('update', listen);
  expect(updates.length).toBe(1);
  return updates[0] as Uint8Array;
}

/** The check as the receiver (the editor's copy, before) and as the sender (its own copy, after) make it. */
function bothWays(receiver: Y.Doc, sender: Y.Doc, update: Uint8Array) {
  return [checkGrabUpdate(receiver, update), checkGrabUpdate(sender, update)];
}

describe('a viewer’s grab update (ROLE11)', () => {
  it('[ROLE11] a grab’s own writes pass: claim, move and let go of an object with state, and of one without', () => {
    const { editorDoc, viewerDoc, viewer, self } = room();
    const claim = updateOf(viewerDoc, () => viewer.setOwner(crate, self));
    const release = updateOf(viewerDoc, () =>
      viewer.transact(() => {
        viewer.setTransform(crate, moved);
        viewer.setOwner(crate, null);
      }),
    );
    // An object with no state yet: the grab creates its entry.
    const lamp = objectId('Lamp2');
    const fresh = updateOf(viewerDoc, () => viewer.setOwner(lamp, self));
    for (const update of [claim, release, fresh]) expect(checkGrabUpdate(viewerDoc, update)).toEqual({ ok: true });
    for (const update of [claim, release, fresh]) {
      expect(checkGrabUpdate(editorDoc, update)).toEqual({ ok: true });
      Y.applyUpdate(editorDoc, update);
    }
    // Applied, it changed exactly the grab's fields and left the rest.
    const editor = new RoomDoc(editorDoc);
    expect(editor.getObjectState(crate)?.transform).toEqual(moved);
    expect(editor.getObjectState(crate)?.state.get('opened')).toBe(true);
    expect(editor.scriptText()).toContain('box Crate');
  });

  it('[ROLE11] an update that also touches the script, a state, a property, the name or owner entries is refused as a whole', () => {
    type Room = ReturnType<typeof room>;
    const withGrab = (extra: (r: Room) => void) => (r: Room) =>
      updateOf(r.viewerDoc, () =>
        r.viewer.transact(() => {
          r.viewer.setTransform(crate, moved);
          r.viewer.setOwner(crate, r.self);
          extra(r);
        }),
      );
    const cases: [string, (r: Room) => Uint8Array, RegExp][] = [
      ['script typed into', withGrab((r) => r.viewer.editScript(0, 0, '// mine\n')), /more than the objects/],
      ['script deleted from', withGrab((r) => r.viewer.editScript(0, 3)), /deletes more than a grab/],
      ['a state', withGrab((r) => r.viewer.setStateValue(crate, 'opened', false)), /more than the objects/],
      ['a property', withGrab((r) => r.viewer.setPropValue(crate, 'color', 'blue')), /more than the objects/],
      ['the room name', withGrab((r) => r.viewer.setRoomName('Mine now')), /more than the objects/],
      ['an owner entry', withGrab((r) => r.viewer.ownerEntries().push([new Uint8Array(102)])), /more than the objects/],
      [
        'another object removed',
        withGrab((r) => r.viewer.removeObjectState(objectId('Lamp'))),
        /deletes more than a grab/,
      ],
      [
        'someone else as owner',
        (r) => updateOf(r.viewerDoc, () => r.viewer.setOwner(crate, 4242 as PeerId)),
        /its writer the owner/,
      ],
      [
        'a malformed transform',
        (r) =>
          updateOf(r.viewerDoc, () =>
            r.viewer.setTransform(crate, { ...moved, scale: [1, 1] as unknown as [number, number, number] }),
          ),
        /whole transform/,
      ],
    ];
    for (const [what, make, reason] of cases) {
      const fresh = room();
      const update = make(fresh);
      for (const check of bothWays(fresh.editorDoc, fresh.viewerDoc, update)) {
        expect(check.ok, what).toBe(false);
        if (!check.ok) expect(check.reason, what).toMatch(reason);
      }
    }
  });

  it('[ROLE11] an object’s entry is never replaced, and the state inside it never reached through a crafted update', () => {
    const { editorDoc, viewerDoc } = room();
    // A crafted update: a fresh entry for Crate written beside the existing one (it would replace it on arrival).
    const replaced = updateOf(viewerDoc, () => viewerDoc.getMap('objects').set('Crate', new Y.Map()));
    const [asReceiver] = bothWays(editorDoc, viewerDoc, replaced);
    expect(asReceiver).toEqual({ ok: false, reason: expect.stringMatching(/deletes more than a grab|never replaces/) });
    // A value for a grab field of a map that is not an object's entry (the meta root).
    const elsewhere = updateOf(viewerDoc, () => viewerDoc.getMap('meta').set('transform', moved));
    expect(checkGrabUpdate(editorDoc, elsewhere).ok).toBe(false);
    // A map nested inside an entry, with a grab field in it.
    const nested = updateOf(viewerDoc, () =>
      viewerDoc.transact(() => {
        const entry = viewerDoc.getMap('objects').get('Crate') as Y.Map<unknown>;
        const inner = new Y.Map<unknown>();
        entry.set('transform', inner);
        inner.set('owner', null);
      }),
    );
    expect(checkGrabUpdate(editorDoc, nested).ok).toBe(false);
  });

  it('[ROLE11] what the receiver cannot place, oversized updates and garbage are refused, never thrown', () => {
    const { editorDoc, viewerDoc, viewer, self } = room();
    // A claim written on top of an edit the receiver never got: the edit is unknown there.
    const otherDoc = new Y.Doc();
    Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(viewerDoc));
    const other = new RoomDoc(otherDoc);
    other.setTransform(crate, moved);
    Y.applyUpdate(viewerDoc, Y.encodeStateAsUpdate(otherDoc));
    const onTop = updateOf(viewerDoc, () => viewer.setOwner(crate, self));
    const unknown = checkGrabUpdate(editorDoc, onTop);
    expect(unknown.ok).toBe(false);
    // More changes than any grab makes (owners of 200 objects at once: 400 items and more).
    const many = updateOf(viewerDoc, () =>
      viewer.transact(() => {
        for (let i = 0; i < 200; i++) viewer.setOwner(objectId(`Box${i}`), self);
      }),
    );
    expect(checkGrabUpdate(editorDoc, many)).toEqual({ ok: false, reason: 'too many changes for a grab' });
    expect(checkGrabUpdate(editorDoc, new Uint8Array(MAX_GRAB_UPDATE_BYTES + 1))).toEqual({
      ok: false,
      reason: `a grab's update is at most ${MAX_GRAB_UPDATE_BYTES} bytes`,
    });
    // Seeded random bytes, and real updates cut short or with bytes flipped.
    let seed = 1234;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const real = updateOf(viewerDoc, () => viewer.setTransform(crate, moved));
    for (let i = 0; i < 2_000; i++) {
      let bytes: Uint8Array;
      if (i % 3 === 0) bytes = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      else if (i % 3 === 1) bytes = real.slice(0, Math.floor(random() * real.length));
      else {
        bytes = real.slice();
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      const check = checkGrabUpdate(editorDoc, bytes);
      expect(typeof check.ok).toBe('boolean');
    }
  });
});
