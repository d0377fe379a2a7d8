/**
 * What a room's history costs (docs/history.md). Node only:
 *
 *   history.snapshot_bytes    one snapshot of the lobby room (its script and the state of its
 *                             15 objects, each moved once): what the server stores per snapshot
 *   history.restore_ms        RoomDoc.restore of that snapshot over the wiped room (HIST7), median
 *   history.wipe_check_us     what the server adds to every accepted keystroke update of that
 *                             room for HIST1-HIST2 (RoomSnapshots.beforeUpdate: the periodic clock
 *                             and the delete-set sum), mean over a typist's updates
 *   history.keystroke_apply_us  for scale: applying that same update to the server's document
 *   history.wipe_snapshot_ms  a wipe of that room as the server handles it: the room encoded
 *                             before the update and measured after (HIST2), median
 */
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { objectId } from '../app/core/ids.ts';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import { createLogger } from '../server/log.ts';
import { DEFAULT_HISTORY_POLICY } from '../server/yjs/limits.ts';
import { RoomSnapshots, type SnapshotSink } from '../server/yjs/room-snapshots.ts';
import { median } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const LOBBY = readFileSync(new URL('../public/scenes/lobby.holo', import.meta.url), 'utf8');
const OBJECTS = 15;
const KEYSTROKES = 2_000;
const RUNS = 50;

/** The lobby room as its document: the script and a moved object state per object. */
function lobbyRoom(): Y.Doc {
  const doc = new Y.Doc();
  const room = new RoomDoc(doc);
  room.replaceScript(LOBBY);
  for (let i = 0; i < OBJECTS; i++) {
    room.setTransform(objectId(`object-${i}`), { position: [i, 1, 0], rotation: [0, 15 * i, 0], scale: [1, 1, 1] });
  }
  return doc;
}

/** What `measure` returns (ms of the part it timed), `RUNS` times after a few untimed runs. */
function samples(measure: () => number): number[] {
  for (let i = 0; i < wipeRuns - RUNS; i++) measure();
  return Array.from({ length: RUNS }, measure);
}

/** Keeps nothing but a count: the bench measures the deciding, not SQLite. */
let kept = 0;
const nowhere: SnapshotSink = {
  keepSnapshot: () => ++kept,
  newestSnapshotAt: () => Date.now(),
};
const quiet = createLogger('error', () => {});

function wipeCheckUs(): { checkUs: number; applyUs: number } {
  const typist = lobbyRoom();
  const server = new Y.Doc();
  Y.applyUpdate(server, Y.encodeStateAsUpdate(typist));
  const updates: Uint8Array[] = [];
  typist.on('update', (update: Uint8Array) => updates.push(update));
  const text = new RoomDoc(typist);
  for (let i = 0; i < KEYSTROKES; i++) text.editScript(text.scriptLength, 0, i % 40 === 39 ? '\n' : 'x');
  const snapshots = new RoomSnapshots('bench', nowhere, DEFAULT_HISTORY_POLICY, quiet);
  const people = () => ({ present: [], by: [] });
  let checkMs = 0;
  let applyMs = 0;
  for (const update of updates) {
    const t0 = performance.now();
    snapshots.beforeUpdate(server, update, people);
    const t1 = performance.now();
    Y.applyUpdate(server, update);
    checkMs += t1 - t0;
    applyMs += performance.now() - t1;
  }
  return { checkUs: (checkMs * 1000) / updates.length, applyUs: (applyMs * 1000) / updates.length };
}

/** `samples` runs its measure this often: warm-up included. */
const wipeRuns = RUNS + 5;

const history: Benchmark = async () => {
  wipeCheckUs(); // warm-up: the first pass compiles
  const check = wipeCheckUs();
  const snapshot = Y.encodeStateAsUpdate(lobbyRoom());
  const restore = samples(() => {
    const doc = lobbyRoom();
    new RoomDoc(doc).replaceScene('');
    const t0 = performance.now();
    new RoomDoc(doc).restore(snapshot);
    return performance.now() - t0;
  });
  kept = 0;
  const wipe = samples(() => {
    const doc = lobbyRoom();
    const wiper = new Y.Doc();
    Y.applyUpdate(wiper, Y.encodeStateAsUpdate(doc));
    let update: Uint8Array = new Uint8Array();
    wiper.on('update', (u: Uint8Array) => {
      update = u;
    });
    new RoomDoc(wiper).replaceScene('');
    const snapshots = new RoomSnapshots('bench', nowhere, DEFAULT_HISTORY_POLICY, quiet);
    const t0 = performance.now();
    const candidate = snapshots.beforeUpdate(doc, update, () => ({ present: [], by: [] }));
    Y.applyUpdate(doc, update);
    if (candidate) snapshots.afterUpdate(doc, candidate, { present: [], by: [] });
    return performance.now() - t0;
  });
  if (kept !== wipeRuns) throw new Error(`${kept} of ${wipeRuns} wipes were kept`);
  return {
    'history.snapshot_bytes': snapshot.byteLength,
    'history.restore_ms': median(restore),
    'history.wipe_check_us': check.checkUs,
    'history.keystroke_apply_us': check.applyUs,
    'history.wipe_snapshot_ms': median(wipe),
  };
};

export default history;
