/**
 * Shared physics between two real browsers (docs/physics.md, "On the
 * network"): what a collapsing stack costs on the network, and how far apart
 * two pages see it come to rest.
 *
 * The scene: 20 blocks (0.3 m) in two leaning columns of ten, hit by a heavy
 * ball dropped from 4 m beside the top; it falls over and settles in about
 * 8 s. Two pages (separate browser contexts, `?render=off`: the room's frame
 * on a 60 Hz timer without software GL, app/room/headless-frames.ts) reach
 * each other over WebRTC (asserted) and the server (/sync, /signal, /relay).
 * Bytes are counted on the real transports by bench/harness/wire-bytes.ts:
 * WebSocket frames both ways and data channel bytes sent, payloads only,
 * both pages summed.
 *
 *   physics.bytes_per_s_settling        the app's way: the bodies' owner streams
 *                                       them on the pose channel while they move
 *                                       and writes each rest pose to the room
 *                                       document once (PHYS4-PHYS6); from the
 *                                       ball's appearance to every body at rest
 *                                       in both pages' documents
 *   physics.bytes_settling              the same, in total
 *   physics.settling_s                  how long that took
 *   physics.bytes_per_s_settling_doc_writes, physics.bytes_settling_doc_writes,
 *   physics.settling_doc_writes_s
 *                                       the obvious alternative: the same collapse
 *                                       (the same scene stepped by the same engine
 *                                       in Node) written to the room document every
 *                                       1/60 s frame, one transaction per frame with
 *                                       the transform of every body that moved (at
 *                                       the document's resolution), by one page of
 *                                       two in a room without `@physics`
 *   physics.bytes_per_s_idle            the two physics pages before the ball:
 *                                       presence, the pose channel's own pulse
 *   physics.rest_divergence_mm, physics.rest_divergence_deg
 *                                       after the collapse, the largest distance
 *                                       and turn between the two pages' poses of
 *                                       one body, over the 21 bodies
 *
 * Both ways start the collapse with one script edit (adding the ball); its
 * bytes are in both. Bounded: every wait has a time limit, the replay has at
 * most 30 s of frames.
 */

import type { Browser, Page } from 'playwright-core';
import { Matrix4, Quaternion, Vector3 } from 'three';
import type { ObjectId } from '../app/core/ids.ts';
import { worldToTransform } from '../app/interaction/pose.ts';
import { createOutput, FLAG_AWAKE, MODE_FREE, OUT_STRIDE, Simulation } from '../app/physics/engine/simulation.ts';
import { loadPhysicsEngine } from '../app/physics/load-engine.ts';
import { buildWorldSpec } from '../app/physics/world-spec.ts';
import type { Transform } from '../app/sync/doc/object-state.ts';
import { launchBrowser, newContext, waitUntil } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { waitForWebRTC } from '../e2e/interaction-helpers.ts';
import { modelOf } from '../testing/scene/parsed-scenes.ts';
import type { Benchmark } from './harness/types.ts';
import {
  countWireBytes,
  type WireBytes,
  type WireSnapshot,
  wireBytesBetween,
  wireTotal,
} from './harness/wire-bytes.ts';

const BLOCKS = 20;
const BLOCK_IDS = Array.from({ length: BLOCKS }, (_, i) => `S${i}`);
const BODY_IDS = [...BLOCK_IDS, 'Ball'];
/** The longest collapse replayed, in 1/60 s frames. */
const MAX_FRAMES = 30 * 60;
const IDLE_MS = 3_000;
const SETTLE_TIMEOUT_MS = 120_000;
const QUIET_MS = 1_000;

/** The stack, with or without `@physics` (the doc-writes room draws the same objects, moved by writes only). */
function stackScript(physics: boolean, withBall: boolean): string {
  const trait = physics ? ' @physics' : '';
  const lines = BLOCK_IDS.map((id, i) => {
    const layer = Math.floor(i / 2);
    const x = (i % 2) * 0.31 - 0.155 + layer * 0.02;
    return `object "${id}"${trait} { geometry: "box"; size: 0.3; position: [${x.toFixed(3)}, ${(0.15 + layer * 0.3).toFixed(2)}, 3]; color: "#ffd166" }`;
  });
  const ball = physics ? ' @physics(mass: 8, restitution: 0.3, angular_damping: 2)' : '';
  if (withBall)
    lines.push(`object "Ball"${ball} { geometry: "sphere"; size: 0.4; position: [0.2, 4, 3.1]; color: "#ef476f" }`);
  return `composition "Collapse" {\n  ${lines.join('\n  ')}\n}`;
}

interface BenchPage {
  page: Page;
  bytes: WireBytes;
}

async function openPage(browser: Browser, url: string, name: string): Promise<BenchPage> {
  const context = await newContext(browser, { name });
  const page = await context.newPage();
  const bytes = countWireBytes(page);
  await page.goto(url);
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.frames ?? 0) > 3),
    60_000,
    () => `${name}'s room did not start`,
  );
  return { page, bytes };
}

async function openPair(browser: Browser, url: string): Promise<[BenchPage, BenchPage]> {
  const pair: [BenchPage, BenchPage] = [await openPage(browser, url, 'Ann'), await openPage(browser, url, 'Ben')];
  await waitForWebRTC(pair[0].page, pair[1].page);
  return pair;
}

const snapshots = (pages: readonly BenchPage[]) => Promise.all(pages.map(({ bytes }) => bytes.snapshot()));

async function setScript(page: Page, text: string): Promise<void> {
  await page.evaluate((script) => window.__holoroom?.session?.room.replaceScript(script), text);
}

/** Per page: every body's owner in its document, its physics counters. */
function physicsState(page: Page, ids: readonly string[]) {
  return page.evaluate((bodies) => {
    const room = window.__holoroom?.session?.room;
    const physics = window.__holoroom?.physics;
    return {
      owners: bodies.map((id) => room?.getObjectState(id)?.owner ?? null),
      ready: physics?.ready ?? false,
      streamed: physics?.stats.streamed ?? 0,
      rests: physics?.stats.rests ?? 0,
      claims: physics?.stats.claims ?? 0,
    };
  }, ids);
}

/** Waits until both pages' (streamed, rests) counters stay unchanged for QUIET_MS. */
async function waitQuiet(pages: readonly BenchPage[], ids: readonly string[]): Promise<void> {
  let last = '';
  let since = Date.now();
  await waitUntil(
    async () => {
      const states = await Promise.all(pages.map(({ page }) => physicsState(page, ids)));
      const now = JSON.stringify(states.map((s) => [s.streamed, s.rests, s.owners]));
      if (now !== last || states.some((s) => !s.ready || s.owners.some((o) => o !== null))) {
        last = now;
        since = Date.now();
      }
      return Date.now() - since >= QUIET_MS;
    },
    SETTLE_TIMEOUT_MS,
    () => `the stack did not come to rest: ${last}`,
  );
}

interface Settled {
  bytes: WireSnapshot;
  seconds: number;
}

/**
 * The app's way: add the ball, count until every body rests with no owner in
 * both pages' documents and stays so, nothing streamed or written, for
 * QUIET_MS (a pile may be re-claimed while it settles); the count and the time
 * end where that quiet began.
 */
async function settleWithPhysics(pages: readonly BenchPage[]): Promise<Settled> {
  const before = await snapshots(pages);
  const started = performance.now();
  await setScript((pages[0] as BenchPage).page, stackScript(true, true));
  let claimed = false;
  let quiet: { key: string; at: number; bytes: WireSnapshot[] } | undefined;
  await waitUntil(
    async () => {
      const states = await Promise.all(pages.map(({ page }) => physicsState(page, BODY_IDS)));
      if (states.some((s) => s.owners.some((o) => o !== null))) claimed = true;
      const resting = claimed && states.every((s) => s.owners.every((o) => o === null));
      const key = JSON.stringify(states.map((s) => [s.streamed, s.rests]));
      if (!resting) quiet = undefined;
      else if (quiet?.key !== key) quiet = { key, at: performance.now(), bytes: await snapshots(pages) };
      return quiet !== undefined && performance.now() - quiet.at >= QUIET_MS;
    },
    SETTLE_TIMEOUT_MS,
    () => 'the collapse did not come to rest',
  );
  const end = quiet as NonNullable<typeof quiet>;
  return { bytes: wireBytesBetween(before, end.bytes), seconds: (end.at - started) / 1000 };
}

/**
 * The same scene stepped in Node by the same engine: per 1/60 s frame, the
 * transforms of the bodies whose document transform (rounded as RoomPhysics
 * rounds a rest pose) changed since they were last written.
 */
async function collapseFrames(): Promise<[string, Transform][][]> {
  const model = await modelOf(stackScript(true, true));
  const spec = buildWorldSpec(model);
  const sim = new Simulation(await loadPhysicsEngine(), spec);
  const out = createOutput(sim.count);
  const input = {
    modes: new Uint8Array(sim.count).fill(MODE_FREE),
    targets: new Float64Array(sim.count * 7),
    teleports: [],
  };
  const identity = new Matrix4();
  const pose = { position: new Vector3(), quaternion: new Quaternion() };
  const frames: [string, Transform][][] = [];
  const written = new Map<string, string>();
  for (let f = 0; f < MAX_FRAMES; f++) {
    sim.apply(input);
    sim.step();
    sim.read(out);
    const frame: [string, Transform][] = [];
    let awake = 0;
    spec.bodies.forEach((body, i) => {
      if (((out.flags[i] as number) & FLAG_AWAKE) === 0) return;
      awake++;
      const s = out.state.subarray(i * OUT_STRIDE);
      pose.position.set(s[0] as number, s[1] as number, s[2] as number);
      pose.quaternion.set(s[3] as number, s[4] as number, s[5] as number, s[6] as number);
      const scale = model.byId.get(body.id)?.transform.scale ?? [1, 1, 1];
      const transform = worldToTransform(pose, identity, scale);
      // Only what changed at the document's resolution: an awake body lying still is not written again.
      const key = JSON.stringify(transform);
      if (!transform || written.get(body.id) === key) return;
      written.set(body.id, key);
      frame.push([body.id, transform]);
    });
    if (awake === 0) break;
    frames.push(frame);
  }
  while (frames.length > 0 && frames[frames.length - 1]?.length === 0) frames.pop();
  sim.free();
  return frames;
}

/** The alternative: one page writes every frame's transforms to the room document at 60 Hz; count until the other page has the last. */
async function settleWithDocWrites(pages: readonly BenchPage[], frames: [string, Transform][][]): Promise<Settled> {
  const [writer, reader] = pages as [BenchPage, BenchPage];
  const last = new Map<string, Transform>();
  for (const frame of frames) for (const [id, transform] of frame) last.set(id, transform);
  const before = await snapshots(pages);
  const started = performance.now();
  await setScript(writer.page, stackScript(false, true));
  await writer.page.evaluate(async (all) => {
    const room = window.__holoroom?.session?.room;
    if (!room) throw new Error('benchmark: the page has no room document');
    const t0 = performance.now();
    for (const [k, frame] of all.entries()) {
      const due = t0 + (k * 1000) / 60;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      room.transact(() => {
        for (const [id, transform] of frame) room.setTransform(id as ObjectId, transform);
      });
    }
  }, frames);
  await waitUntil(
    () =>
      reader.page.evaluate(
        (expected: [string, Transform][]) => {
          const room = window.__holoroom?.session?.room;
          return expected.every(([id, t]) => {
            const position = room?.getObjectState(id)?.transform?.position;
            return position?.every((v, i) => v === t.position[i]) === true;
          });
        },
        [...last],
      ),
    SETTLE_TIMEOUT_MS,
    () => 'the other page did not receive the last frame',
  );
  const seconds = (performance.now() - started) / 1000;
  return { bytes: wireBytesBetween(before, await snapshots(pages)), seconds };
}

/** Largest distance (mm) and turn (degrees) between the two pages' poses of one body. */
async function restDivergence(pages: readonly BenchPage[]): Promise<{ mm: number; deg: number }> {
  const poses = await Promise.all(
    pages.map(({ page }) =>
      page.evaluate(
        (ids) => ids.map((id) => window.__holoroom?.physics?.bodyPoseArray(id as ObjectId) ?? []),
        BODY_IDS,
      ),
    ),
  );
  const [a, b] = poses as [number[][], number[][]];
  let mm = 0;
  let deg = 0;
  a.forEach((p, i) => {
    const q = b[i] ?? [];
    if (p.length !== 7 || q.length !== 7) throw new Error(`benchmark: body ${BODY_IDS[i]} has no pose`);
    mm = Math.max(mm, 1000 * Math.hypot(...[0, 1, 2].map((k) => (p[k] as number) - (q[k] as number))));
    const dot = Math.abs([3, 4, 5, 6].reduce((sum, k) => sum + (p[k] as number) * (q[k] as number), 0));
    deg = Math.max(deg, (2 * Math.acos(Math.min(1, dot)) * 180) / Math.PI);
  });
  return { mm, deg };
}

function describe(what: string, settled: Settled): void {
  const labels = Object.entries(settled.bytes.byLabel)
    .map(([label, n]) => `${label} ${n}`)
    .join(', ');
  console.log(
    `${what}: ${wireTotal(settled.bytes)} B in ${settled.seconds.toFixed(2)} s (WebSocket ${settled.bytes.webSocket}, data channels ${labels})`,
  );
}

const physicsBrowser: Benchmark = async () => {
  const frames = await collapseFrames();
  const server = await startServerProcess();
  const browser = await launchBrowser();
  try {
    const stamp = Date.now().toString(36);
    const physicsPages = await openPair(browser, `${server.url}/r/benchphysics${stamp}?seed=off&render=off`);
    await setScript(physicsPages[0].page, stackScript(true, false));
    await waitQuiet(physicsPages, BLOCK_IDS);
    // PHYS9: both pages simulate in their physics worker.
    for (const { page } of physicsPages) {
      const host = await page.evaluate(() => window.__holoroom?.physics?.stats.host);
      if (host !== 'worker') throw new Error(`expected the physics worker, the page's world runs ${host}`);
    }
    const idleBefore = await snapshots(physicsPages);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idle = wireTotal(wireBytesBetween(idleBefore, await snapshots(physicsPages))) / (IDLE_MS / 1000);
    const withPhysics = await settleWithPhysics(physicsPages);
    describe('pose channel and rest poses', withPhysics);
    await waitQuiet(physicsPages, BODY_IDS);
    const divergence = await restDivergence(physicsPages);
    for (const { page } of physicsPages) await page.context().close();

    const docPages = await openPair(browser, `${server.url}/r/benchphysicsdoc${stamp}?seed=off&render=off`);
    await setScript(docPages[0].page, stackScript(false, false));
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const withDocWrites = await settleWithDocWrites(docPages, frames);
    describe(`document writes (${frames.length} frames)`, withDocWrites);
    for (const { page } of docPages) await page.context().close();

    return {
      'physics.bytes_per_s_settling': wireTotal(withPhysics.bytes) / withPhysics.seconds,
      'physics.bytes_settling': wireTotal(withPhysics.bytes),
      'physics.settling_s': withPhysics.seconds,
      'physics.bytes_per_s_settling_doc_writes': wireTotal(withDocWrites.bytes) / withDocWrites.seconds,
      'physics.bytes_settling_doc_writes': wireTotal(withDocWrites.bytes),
      'physics.settling_doc_writes_s': withDocWrites.seconds,
      'physics.bytes_per_s_idle': idle,
      'physics.rest_divergence_mm': divergence.mm,
      'physics.rest_divergence_deg': divergence.deg,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
};

export default physicsBrowser;
