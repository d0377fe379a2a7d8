/**
 * Shared-script latency and late joining in real Chromium against the built server.
 *
 *   sync.edit_to_remote_render_{median,p95}_ms
 *       keystroke in A's editor (keydown) to B's scene re-rendered: B's scene
 *       runtime has parsed the new script and published a new model, and the
 *       next animation frame has run (R3F draws in it). Both transports on, as
 *       the app runs. Keystrokes go into a comment of the lobby scene, so every
 *       one is a valid script.
 *   sync.edit_to_remote_text_{median,p95}_ms
 *       the same keystrokes to B's shared Y.Text (and editor view) updated: the
 *       sync part alone, without parsing and rendering.
 *   sync.edit_to_remote_text_server_only_{median,p95}_ms
 *       `?webrtc=off` in both browsers: the server relay path.
 *   sync.edit_to_remote_text_webrtc_only_{median,p95}_ms
 *       `?server-sync=off` in both: the WebRTC data channel path.
 *   sync.edit_to_remote_text_receiver_not_rendering_{median,p95}_ms
 *       the same keystrokes with B opened `?render=off` (no canvas, the room's
 *       frame on a timer): B's main thread is not drawing the room when the
 *       update arrives. The difference to edit_to_remote_text is the time the
 *       update waited behind B's frames (software GL here).
 *   sync.edit_to_remote_{text,render}_gpu_compositing_{median,p95}_ms
 *       the first two in a browser started without `--disable-gpu`, compositing
 *       on SwiftShader in its GPU process (the run fails if Chromium reports
 *       otherwise): B's main thread no longer reads each WebGL picture back, as
 *       on a machine with a GPU (docs/performance.md, "The drawing page's main
 *       thread").
 *   sync.edit_keydown_to_send_median_ms, sync.edit_receive_to_text_median_ms
 *       the two parts of edit_to_remote_text (both drawing) that run in the
 *       pages' own code: in A from the keydown to the update leaving on
 *       y-webrtc's data channel (the editor, Yjs and every document listener
 *       before y-webrtc's), in B from the data channel's message handler to the
 *       Y.Text observer (the update gate, Yjs, the editor's view). What is left
 *       is the network and the wait for B's main thread.
 *   sync.late_join_load_ms
 *       a new browser (empty IndexedDB) opens a room holding the 1000-line script
 *       and 500 object states that nobody else is in: navigation start to the
 *       whole room being in its document (from the server's store).
 *   sync.late_join_render_ms
 *       navigation start to that room's scene rendered (runtime model published
 *       with the room's objects, then one animation frame).
 *   sync.late_join_load_webrtc_peer_ms
 *       the alternative source: the same room loaded from a peer over WebRTC
 *       with server sync off in the joiner; its phases (from the joiner's
 *       session start) as sync.late_join_webrtc_phase_<name>_ms.
 *   sync.late_join_load_webrtc_peer_member_throttled_ms (and the phases,
 *   sync.late_join_webrtc_phase_<name>_member_throttled_ms)
 *       the same join, from another room of the same content, with the member's
 *       page slowed 4x by the DevTools protocol (`Emulation.setCPUThrottlingRate`,
 *       MEMBER_CPU_THROTTLE): the member's main thread as on a loaded machine,
 *       reproducibly, so the wait for its offer shows in every run.
 *       `..._phase_member_offer_sent_ms` (in both joins) is when the member sent
 *       its offer, on the newcomer's clock (from its session start).
 *   sync.late_join_load_webrtc_peer_member_settled_ms (and the phases,
 *   sync.late_join_webrtc_phase_<name>_member_settled_ms)
 *       the same join, from another room of the same content, once the member
 *       has drawn its first frame and MEMBER_SETTLE_MS more: a member who has
 *       been in the room a moment. In the figure above the newcomer comes as
 *       soon as the member holds the script, so the member's own join (its
 *       renderer held, ROOM6) and first frames (compiling the room's shaders)
 *       fall on the newcomer's handshake.
 *   sync.late_join_load_webrtc_peer_gpu_compositing_ms (and the phases,
 *   sync.late_join_webrtc_phase_<name>_gpu_compositing_ms)
 *       the same with the holder and the joiner in the GPU-compositing browser,
 *       from another room of the same content.
 *   The load figures take the moment from the joiner's document itself (the
 *   transaction after which it holds the whole room, `LOAD_WATCH`); until
 *   2026-12-07 they were read by a check on animation frames after the page's
 *   load event, which added the wait for that event and for the joiner's first
 *   frames (the rAF-polled figure is still logged beside it).
 *
 * Timestamps from the two pages are `performance.timeOrigin + performance.now()`,
 * comparable on one machine.
 *
 * Pages use a 320x240 viewport: Chromium here renders WebGL on the CPU
 * (SwiftShader), and at 960x600 one frame of the lobby takes hundreds of
 * milliseconds on a busy 2-core machine, so input and network events would wait
 * behind frames and the numbers would measure software rendering, not sync.
 * sync.edit_to_remote_node_* (bench/sync-doc.bench.ts) is the sync path with no
 * browser at all.
 */
import type { Browser, Page } from 'playwright-core';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import { EDITOR_INPUT } from '../e2e/editor-helpers.ts';
import {
  expectCompositing,
  launchBrowser,
  newContext,
  peerConnectionStates,
  waitUntil,
} from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { connectTestClient } from '../server/test/sync-client.ts';
import { median, p95 } from './harness/stats.ts';
import { fillLateJoinRoom } from './harness/sync-fixtures.ts';
import type { Benchmark } from './harness/types.ts';

const KEYSTROKES = 60;
/** How much slower the member's page runs in the throttled late join (DevTools CPU throttling). */
const MEMBER_CPU_THROTTLE = 4;
/** How long a settled member has been in the room after its first frame when the newcomer comes. */
const MEMBER_SETTLE_MS = 1_000;
const VIEWPORT = { width: 320, height: 240 };
const SETTLE_MS = 40;

declare global {
  interface Window {
    __benchKeydowns?: number[];
    __benchTexts?: number[];
    __benchRenders?: number[];
  }
}

interface EditTimes {
  text: number[];
  render: number[];
  /** A: keydown to the update sent on y-webrtc's data channel. */
  toSend: number[];
  /** B: the data channel's message handler to the Y.Text observer. */
  receiveToText: number[];
}

declare global {
  interface Window {
    __benchUpdateSends?: number[];
    __benchUpdateReceipts?: number[];
  }
}

/**
 * Times every y-webrtc document update (sync message 0, update 2) this page
 * sends or receives on an ordered data channel (y-webrtc's; the pose channel
 * is unordered), on the shared clock: sends when `send` is called, receipts
 * when the channel's message handler starts.
 */
const UPDATE_PROBE = `(() => {
  const isUpdate = (data) => {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
    return bytes !== null && bytes[0] === 0 && bytes[1] === 2;
  };
  const now = () => performance.timeOrigin + performance.now();
  window.__benchUpdateSends = [];
  window.__benchUpdateReceipts = [];
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (this.ordered && isUpdate(data)) window.__benchUpdateSends.push(now());
    return send.call(this, data);
  };
  const onmessage = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'onmessage');
  Object.defineProperty(RTCDataChannel.prototype, 'onmessage', {
    configurable: true,
    get() { return onmessage.get.call(this); },
    set(handler) {
      const channel = this;
      onmessage.set.call(this, handler && function (event) {
        if (channel.ordered && isUpdate(event.data)) window.__benchUpdateReceipts.push(now());
        return handler.call(this, event);
      });
    },
  });
})();`;

/** For each of `after` (sorted), the time to the first of `times` at or after it. */
function toNext(after: readonly number[], times: readonly number[]): number[] {
  return after.map((t) => (times.find((u) => u >= t) ?? Number.NaN) - t);
}

async function openEditor(browser: Browser, url: string, name: string): Promise<Page> {
  const context = await newContext(browser, { name });
  await context.addInitScript(`localStorage.setItem('holoroom.editor', '{"open":true}');`);
  await context.addInitScript(UPDATE_PROBE);
  const page = await context.newPage();
  await page.setViewportSize(VIEWPORT);
  await page.goto(url);
  await page.locator(EDITOR_INPUT).waitFor({ timeout: 120_000 });
  return page;
}

/** Keystrokes in A, arrivals (text, then rendered scene) in B, in ms per keystroke. */
async function measureEdits(
  browser: Browser,
  baseUrl: string,
  room: string,
  query: string,
  watcherQuery = query,
): Promise<EditTimes> {
  const a = await openEditor(browser, `${baseUrl}/r/${room}${query}`, 'Typist');
  const b = await openEditor(browser, `${baseUrl}/r/${room}${watcherQuery}`, 'Watcher');
  if (query.includes('server-sync=off')) {
    await waitUntil(
      async () => (await peerConnectionStates(b)).includes('connected'),
      120_000,
      async () => `B states ${await peerConnectionStates(b)}`,
    );
  }
  // Both hold the same (seeded lobby) script and B has drawn it.
  await waitUntil(
    async () =>
      (await b.evaluate(() => (window.__holoroom?.scene?.view.get().builds ?? 0) > 0)) &&
      (await a.evaluate(() => window.__holoroom?.session?.room.scriptText())) ===
        (await b.evaluate(() => window.__holoroom?.session?.room.scriptText())),
    120_000,
    () => 'the two pages never agreed on a drawn script',
  );
  // Type at the end of the first line (a comment), so every keystroke leaves a valid script.
  // Focus, not a click: at 320x240 the room's bar and canvas overlap the open editor.
  await a.locator(EDITOR_INPUT).focus();
  await a.keyboard.press('Control+Home');
  await a.keyboard.press('End');
  await a.evaluate(() => {
    window.__benchKeydowns = [];
    document.addEventListener(
      'keydown',
      () => window.__benchKeydowns?.push(performance.timeOrigin + performance.now()),
      {
        capture: true,
      },
    );
  });
  await b.evaluate(() => {
    window.__benchTexts = [];
    window.__benchRenders = [];
    // Registered after the editor's binding, so it runs once B's editor view has the change.
    window.__holoroom?.session?.room
      .editorText()
      .observe(() => window.__benchTexts?.push(performance.timeOrigin + performance.now()));
    let builds = window.__holoroom?.scene?.view.get().builds ?? 0;
    window.__holoroom?.scene?.view.subscribe((view) => {
      if (view.builds === builds) return;
      builds = view.builds;
      requestAnimationFrame(() => window.__benchRenders?.push(performance.timeOrigin + performance.now()));
    });
  });
  for (let i = 0; i < KEYSTROKES; i++) {
    await a.keyboard.press('x');
    await waitUntil(
      async () =>
        (await b.evaluate(() => Math.min(window.__benchTexts?.length ?? 0, window.__benchRenders?.length ?? 0))) > i,
      30_000,
      () => `keystroke ${i} never reached B's scene`,
    );
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
  const downs = await a.evaluate(() => window.__benchKeydowns ?? []);
  const texts = await b.evaluate(() => window.__benchTexts ?? []);
  const renders = await b.evaluate(() => window.__benchRenders ?? []);
  const sends = await a.evaluate(() => window.__benchUpdateSends ?? []);
  const receipts = await b.evaluate(() => window.__benchUpdateReceipts ?? []);
  await a.context().close();
  await b.context().close();
  // The WebRTC receipt each keystroke's text came from: the last between its keydown and its observer
  // (none when the server's copy came first: not counted).
  const receiptToText = (down: number, text: number) =>
    text - (receipts.filter((r) => r >= down && r <= text).at(-1) ?? Number.NaN);
  return {
    text: downs.map((down, i) => (texts[i] ?? Number.NaN) - down),
    render: downs.map((down, i) => (renders[i] ?? Number.NaN) - down),
    toSend: toNext(downs, sends),
    receiveToText: downs.map((down, i) => receiptToText(down, texts[i] ?? Number.NaN)),
  };
}

/**
 * Records, in the joiner's page, the end of the first document transaction after which it holds
 * the whole room (`window.__benchRoomLoadedAt`, performance.now()). It hooks the assignment of
 * `window.__holoroom` (app/room/page.ts), made in the task that creates the session, so no
 * transaction of the room's document comes before the hook.
 */
const LOAD_WATCH = (scriptLength: number, objects: number) => `(() => {
  let inspection;
  Object.defineProperty(window, '__holoroom', {
    configurable: true,
    get() { return inspection; },
    set(value) {
      inspection = value;
      const session = value && value.session;
      if (!session || window.__benchRoomLoadedAt !== undefined) return;
      const check = () => {
        if (session.room.scriptLength >= ${scriptLength} && session.room.objectCount === ${objects}) {
          window.__benchRoomLoadedAt = performance.now();
          session.doc.off('afterTransaction', check);
        }
      };
      session.doc.on('afterTransaction', check);
      check();
    },
  });
})();`;

/** Navigation start to the room being in the joiner's document, and to its scene drawn. */
async function measureJoin(
  browser: Browser,
  url: string,
  scriptLength: number,
  objects: number,
): Promise<{ load: number; render: number; phases: Record<string, number>; sessionStartAt: number }> {
  const context = await newContext(browser, { name: 'Latecomer' });
  await context.addInitScript(LOAD_WATCH(scriptLength, objects));
  const page = await context.newPage();
  await page.setViewportSize(VIEWPORT);
  await page.goto(url);
  const polledAt = await page.waitForFunction(
    ([length, count]) => {
      const room = window.__holoroom?.session?.room;
      // At least the room's script: a joiner that found nobody may have seeded the lobby first (SEED2).
      return room && room.scriptLength >= length && room.objectCount === count ? performance.now() : false;
    },
    [scriptLength, objects] as const,
    { polling: 'raf', timeout: 120_000 },
  );
  const polled = (await polledAt.jsonValue()) as number;
  const load =
    (await page.evaluate(() => (window as { __benchRoomLoadedAt?: number }).__benchRoomLoadedAt)) ?? Number.NaN;
  console.log(
    `${url}: the whole room in the document at ${load.toFixed(0)} ms, seen by a frame's check at ${polled.toFixed(0)} ms`,
  );
  const drawn = await page.waitForFunction(
    (length) => {
      const view = window.__holoroom?.scene?.view.get();
      return view && view.builds > 0 && view.scriptLength >= length ? performance.now() : false;
    },
    scriptLength,
    { polling: 'raf', timeout: 120_000 },
  );
  const render = (await drawn.jsonValue()) as number;
  // The phases of the join, from the session's start (docs/transports.md, "Joining").
  const phases = (await page.evaluate(() => window.__holoroom?.timeline.relative() ?? {})) as Record<string, number>;
  const sessionStartAt = await page.evaluate(
    () => performance.timeOrigin + (window.__holoroom?.timeline.at('session_start') ?? Number.NaN),
  );
  await context.close();
  return { load, render, phases, sessionStartAt };
}

/** Writes the late-join room (the 1000-line script, 500 object states) to the server as `room`, nobody in it. */
async function fillServerRoom(serverUrl: string, room: string): Promise<{ scriptLength: number; objects: number }> {
  const writer = connectTestClient(serverUrl, room);
  await writer.synced();
  const { script, objects } = fillLateJoinRoom(new RoomDoc(writer.doc));
  const witness = connectTestClient(serverUrl, room);
  await witness.synced(20_000);
  writer.destroy();
  witness.destroy();
  return { scriptLength: script.length, objects };
}

/**
 * `room` held by one page of `browser` (loaded from the server); a newcomer takes it over WebRTC only.
 * `memberThrottle`: the holder's page runs that many times slower (DevTools CPU throttling).
 * `memberSettled`: the newcomer comes once the holder has drawn its first frame and a second more
 * (someone who has been in the room a moment); else as soon as the holder has the room's script,
 * while the holder's own join is still settling and its first frames compile the room's shaders.
 * The phases get `member_offer_sent`: the holder's offer, on the newcomer's clock.
 */
async function joinFromPeer(
  browser: Browser,
  serverUrl: string,
  room: string,
  { scriptLength, objects }: { scriptLength: number; objects: number },
  memberThrottle = 1,
  memberSettled = false,
): Promise<{ load: number; render: number; phases: Record<string, number> }> {
  const holder = await newContext(browser, { name: 'Holder' });
  try {
    const holderPage = await holder.newPage();
    await holderPage.setViewportSize(VIEWPORT);
    if (memberThrottle > 1) {
      const cdp = await holder.newCDPSession(holderPage);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: memberThrottle });
    }
    await holderPage.goto(`${serverUrl}/r/${room}`);
    await holderPage.waitForFunction(
      (length) => window.__holoroom?.session?.room.scriptLength === length,
      scriptLength,
      { timeout: 120_000 },
    );
    if (memberSettled) {
      await holderPage.waitForFunction(() => window.__holoroom?.timeline.has('first_frame'), undefined, {
        timeout: 120_000,
      });
      await new Promise((resolve) => setTimeout(resolve, MEMBER_SETTLE_MS));
    }
    const join = await measureJoin(browser, `${serverUrl}/r/${room}?server-sync=off`, scriptLength, objects);
    const offerAt = await holderPage.evaluate(
      () => performance.timeOrigin + (window.__holoroom?.timeline.at('offer_sent') ?? Number.NaN),
    );
    const memberOffer = offerAt - join.sessionStartAt;
    const phases = Number.isFinite(memberOffer) ? { ...join.phases, member_offer_sent: memberOffer } : join.phases;
    return { load: join.load, render: join.render, phases };
  } finally {
    await holder.close();
  }
}

/** A join's phases as metrics: `sync.late_join_webrtc_phase_<name><suffix>_ms`. */
const phaseFigures = (phases: Record<string, number>, suffix = '') =>
  Object.fromEntries(
    Object.entries(phases).map(([phase, ms]) => [`sync.late_join_webrtc_phase_${phase}${suffix}_ms`, ms]),
  );

const syncBrowser: Benchmark = async () => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  try {
    await expectCompositing(browser);
    const stamp = Date.now().toString(36);
    const both = await measureEdits(browser, server.url, `benchedit${stamp}`, '');
    const serverOnly = await measureEdits(browser, server.url, `benchws${stamp}`, '?webrtc=off');
    const webrtcOnly = await measureEdits(browser, server.url, `benchrtc${stamp}`, '?server-sync=off');
    const notRendering = await measureEdits(browser, server.url, `benchnodraw${stamp}`, '', '?render=off');

    // A room on the server that nobody is in.
    const room = `benchjoin${stamp}`;
    const content = await fillServerRoom(server.url, room);
    const fromServer = await measureJoin(browser, `${server.url}/r/${room}`, content.scriptLength, content.objects);

    // The same room held by one browser peer; the joiner takes it over WebRTC only.
    const fromPeer = await joinFromPeer(browser, server.url, room, content);
    // The same join with the member's page slowed down, from a room of its own with the same content.
    const slowRoom = `benchjoinslow${stamp}`;
    const slowContent = await fillServerRoom(server.url, slowRoom);
    const throttled = await joinFromPeer(browser, server.url, slowRoom, slowContent, MEMBER_CPU_THROTTLE);
    // The same join from a member who has been in the room a moment (its first frame drawn).
    const settledRoom = `benchjoinsettled${stamp}`;
    const settled = await joinFromPeer(
      browser,
      server.url,
      settledRoom,
      await fillServerRoom(server.url, settledRoom),
      1,
      true,
    );

    // The same keystrokes and the same join from a peer between pages of a browser that composites
    // on its GPU process (SwiftShader): the pages' main threads do not read each WebGL picture back.
    // The join uses a room of its own, which nobody has opened yet.
    const gpu = { compositing: 'gpu' } as const;
    const gpuBrowser = await launchBrowser([], gpu);
    let gpuEdits: EditTimes;
    let gpuFromPeer: Awaited<ReturnType<typeof joinFromPeer>>;
    try {
      await expectCompositing(gpuBrowser, gpu);
      gpuEdits = await measureEdits(gpuBrowser, server.url, `benchgpu${stamp}`, '');
      const gpuRoom = `benchjoingpu${stamp}`;
      gpuFromPeer = await joinFromPeer(gpuBrowser, server.url, gpuRoom, await fillServerRoom(server.url, gpuRoom));
    } finally {
      await gpuBrowser.close();
    }

    return {
      'sync.edit_to_remote_render_median_ms': median(both.render),
      'sync.edit_to_remote_render_p95_ms': p95(both.render),
      'sync.edit_to_remote_text_median_ms': median(both.text),
      'sync.edit_to_remote_text_p95_ms': p95(both.text),
      'sync.edit_to_remote_text_server_only_median_ms': median(serverOnly.text),
      'sync.edit_to_remote_text_server_only_p95_ms': p95(serverOnly.text),
      'sync.edit_to_remote_text_webrtc_only_median_ms': median(webrtcOnly.text),
      'sync.edit_to_remote_text_webrtc_only_p95_ms': p95(webrtcOnly.text),
      'sync.edit_to_remote_text_receiver_not_rendering_median_ms': median(notRendering.text),
      'sync.edit_to_remote_text_receiver_not_rendering_p95_ms': p95(notRendering.text),
      'sync.edit_to_remote_text_gpu_compositing_median_ms': median(gpuEdits.text),
      'sync.edit_to_remote_text_gpu_compositing_p95_ms': p95(gpuEdits.text),
      'sync.edit_to_remote_render_gpu_compositing_median_ms': median(gpuEdits.render),
      'sync.edit_to_remote_render_gpu_compositing_p95_ms': p95(gpuEdits.render),
      'sync.edit_keydown_to_send_median_ms': median(both.toSend.filter(Number.isFinite)),
      'sync.edit_receive_to_text_median_ms': median(both.receiveToText.filter(Number.isFinite)),
      'sync.late_join_load_ms': fromServer.load,
      'sync.late_join_render_ms': fromServer.render,
      'sync.late_join_load_webrtc_peer_ms': fromPeer.load,
      ...phaseFigures(fromPeer.phases),
      'sync.late_join_load_webrtc_peer_member_throttled_ms': throttled.load,
      ...phaseFigures(throttled.phases, '_member_throttled'),
      'sync.late_join_load_webrtc_peer_member_settled_ms': settled.load,
      ...phaseFigures(settled.phases, '_member_settled'),
      'sync.late_join_load_webrtc_peer_gpu_compositing_ms': gpuFromPeer.load,
      ...phaseFigures(gpuFromPeer.phases, '_gpu_compositing'),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
};

export default syncBrowser;
