import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { concurrentInserts } from '../../../server/abuse/hostile.ts';
import { poisonedPair } from '../../../testing/sync/poisoned-updates.ts';
import {
  MAX_OBJECT_STATES,
  MAX_UPDATE_BYTES,
  MAX_UPDATE_CLIENTS,
  OBJECT_STATES_HARD_MAX,
  SCRIPT_HARD_MAX_CHARS,
  SCRIPT_MAX_CHARS,
} from '../doc/limits.ts';
import { UpdateGate } from './update-gate.ts';
import {
  inspectProviderMessage,
  judgeGrowth,
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  validateUpdate,
} from './update-guard.ts';

function editedDoc(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('script').insert(0, text);
  doc.getMap('objects').set('Cube', new Y.Map([['owner', 7]]));
  return doc;
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('update guard', () => {
  it('[CAP4] accepts real updates and the sync and awareness messages providers send', () => {
    const doc = editedDoc('object "Cube" { color: "#ff0000" }');
    const update = Y.encodeStateAsUpdate(doc);
    expect(validateUpdate(update)).toEqual({ ok: true });
    expect(inspectProviderMessage(syncUpdateMessage(update))).toEqual({ ok: true });

    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(step1, doc);
    expect(inspectProviderMessage(encoding.toUint8Array(step1))).toEqual({ ok: true });

    const awareness = new Awareness(doc);
    awareness.setLocalStateField('user', { name: 'A', color: '#123456' });
    const aw = encoding.createEncoder();
    encoding.writeVarUint(aw, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(aw, encodeAwarenessUpdate(awareness, [doc.clientID]));
    expect(inspectProviderMessage(encoding.toUint8Array(aw))).toEqual({ ok: true });
    awareness.destroy();
  });

  it('[CAP3] rejects an update over the byte limit before decoding it', () => {
    const verdict = validateUpdate(new Uint8Array(MAX_UPDATE_BYTES + 1));
    expect(verdict).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('[CAP4] rejects a truncated update', () => {
    const update = Y.encodeStateAsUpdate(editedDoc('hello world, a longer text'));
    for (const cut of [1, 5, update.length - 3]) {
      expect(validateUpdate(update.subarray(0, cut))).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('[CAP4] the gate rejects an update that decodes but would fail halfway through integration, leaving the doc untouched', () => {
    const { honest, poisoned } = poisonedPair();
    // The guard itself now spots it: a struct refers to a later struct of its own client.
    expect(validateUpdate(poisoned)).toMatchObject({ ok: false, message: expect.stringMatching(/later struct/) });

    const localDoc = () => {
      const doc = new Y.Doc();
      doc.clientID = 1;
      doc.getText('script').insert(0, 'local');
      return doc;
    };
    // Without the gate Yjs throws and keeps the half it integrated.
    const unguarded = localDoc();
    expect(() => Y.applyUpdate(unguarded, poisoned)).toThrow();
    expect(unguarded.getText('script').toString()).toBe('localAAAABBBB');

    const guarded = localDoc();
    const gate = new UpdateGate(guarded);
    expect(gate.apply(poisoned, 'peer')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(guarded.getText('script').toString()).toBe('local');
    // The gate still accepts the honest version afterwards.
    expect(gate.apply(honest, 'peer')).toEqual({ ok: true });
    expect(guarded.getText('script').toString()).toContain('AACCAABBBB');
    gate.destroy();
  });

  it('[CAP4] rejects awareness updates whose state is not JSON', () => {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, 42);
    encoding.writeVarUint(inner, 1);
    encoding.writeVarString(inner, '{not json');
    const outer = encoding.createEncoder();
    encoding.writeVarUint(outer, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
    expect(inspectProviderMessage(encoding.toUint8Array(outer))).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('[CAP4] rejects unknown message and sync types', () => {
    expect(inspectProviderMessage(new Uint8Array([9]))).toMatchObject({ ok: false });
    expect(inspectProviderMessage(new Uint8Array([0, 7, 0]))).toMatchObject({ ok: false });
    expect(inspectProviderMessage(new Uint8Array([]))).toMatchObject({ ok: false });
  });

  it('[CAP4] the gate never throws on random or mutated bytes and the document stays usable', () => {
    const base = Y.encodeStateAsUpdate(editedDoc('object "A" {}\nobject "B" { position: [1, 2, 3] }'));
    const mutated = fc
      .array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })
      .map((edits) => {
        const copy = base.slice();
        for (const [index, byte] of edits) copy[index] = byte;
        return copy;
      });
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated);
    fc.assert(
      fc.property(bytes, (update) => {
        validateUpdate(update);
        inspectProviderMessage(syncUpdateMessage(update));
        const doc = editedDoc('local text');
        const gate = new UpdateGate(doc);
        gate.apply(update, 'peer');
        // Whatever happened, the document still takes edits and still encodes.
        const text = doc.getText('script');
        const before = text.length;
        text.insert(0, 'x');
        expect(text.length).toBe(before + 1);
        expect(text.toString()).toContain('local text');
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
        expect(copy.getText('script').toString()).toBe(text.toString());
        gate.destroy();
      }),
      { seed: 4242, numRuns: 2000 },
    );
  });
});

describe('the work and growth one remote update may cause', () => {
  it(`[CAP5] refuses an update from more than ${MAX_UPDATE_CLIENTS} client ids before integrating it`, () => {
    expect(validateUpdate(concurrentInserts(1, MAX_UPDATE_CLIENTS))).toEqual({ ok: true });
    expect(validateUpdate(concurrentInserts(1, MAX_UPDATE_CLIENTS + 1))).toMatchObject({
      ok: false,
      reason: 'too-large',
      message: expect.stringMatching(/client ids/),
    });
  });

  it(`[CAP6] the gate refuses remote updates that take the script past ${SCRIPT_HARD_MAX_CHARS} characters`, () => {
    const doc = new Y.Doc();
    doc.getText('script').insert(0, 'a'.repeat(SCRIPT_MAX_CHARS));
    const gate = new UpdateGate(doc);
    // One peer just under the soft cap on its own: fine (two such peers racing stay below the hard cap).
    const racer = new Y.Doc();
    racer.getText('script').insert(0, 'b'.repeat(SCRIPT_MAX_CHARS - 10));
    expect(judgeGrowth(doc, Y.encodeStateAsUpdate(racer))).toEqual({ ok: true });
    const flood = new Y.Doc();
    flood.getText('script').insert(0, 'c'.repeat(SCRIPT_HARD_MAX_CHARS - SCRIPT_MAX_CHARS + 1));
    expect(gate.apply(Y.encodeStateAsUpdate(flood), 'peer')).toMatchObject({ ok: false, reason: 'too-large' });
    expect(doc.getText('script').length).toBe(SCRIPT_MAX_CHARS);
    gate.destroy();
  });

  it(`[CAP6] the gate refuses remote updates that add object states past ${OBJECT_STATES_HARD_MAX}`, () => {
    const doc = new Y.Doc();
    const gate = new UpdateGate(doc);
    const flood = new Y.Doc();
    flood.transact(() => {
      for (let i = 0; i < OBJECT_STATES_HARD_MAX + 1; i++) flood.getMap('objects').set(`o${i}`, new Y.Map());
    });
    expect(gate.apply(Y.encodeStateAsUpdate(flood), 'peer')).toMatchObject({ ok: false, reason: 'too-large' });
    expect(doc.getMap('objects').size).toBe(0);
    const honest = new Y.Doc();
    honest.transact(() => {
      for (let i = 0; i < MAX_OBJECT_STATES; i++) honest.getMap('objects').set(`o${i}`, new Y.Map());
    });
    expect(gate.apply(Y.encodeStateAsUpdate(honest), 'peer')).toEqual({ ok: true });
    gate.destroy();
  });
});
