/**
 * Debian Chromium driven by playwright-core (never a downloaded browser).
 * Flags from the project's environment notes: no GPU (SwiftShader WebGL),
 * no background traffic to outside hosts, local IPs visible to WebRTC so
 * two contexts can connect over this machine's own address.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { headsetScript } from './xr-headset.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS_DIR = path.join(ROOT, 'e2e', 'artifacts');

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * GPU compositing on SwiftShader, for the benchmarks' second mode (docs/performance.md, "The
 * drawing page's main thread"): without `--disable-gpu` the compositor runs in the GPU process and
 * takes a WebGL picture without Blink reading it back on the page's main thread, as on a machine
 * with a GPU. Chromium's `SystemInfo` then reports `gpu_compositing: enabled`.
 */
const GPU_COMPOSITING_FLAGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

export interface LaunchOptions {
  /** `software` (the default, every test): `--disable-gpu`. `gpu`: GPU_COMPOSITING_FLAGS instead. */
  compositing?: 'software' | 'gpu';
}

/** The flags `launchBrowser` starts Chromium with. */
export function chromiumFlags(options: LaunchOptions = {}): string[] {
  if (options.compositing !== 'gpu') return [...CHROMIUM_FLAGS];
  return [...CHROMIUM_FLAGS.filter((flag) => flag !== '--disable-gpu'), ...GPU_COMPOSITING_FLAGS];
}

/** `extraArgs`: flags one test file needs besides the usual ones (e.g. fake media devices). */
export async function launchBrowser(extraArgs: readonly string[] = [], options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return chromium.launch({ executablePath, headless: true, args: [...chromiumFlags(options), ...extraArgs] });
}

/**
 * Chromium's own account of how it composites (`gpu_compositing` of `chrome://gpu`'s feature
 * status: `enabled` or `disabled_software`) and the renderer WebGL reports.
 */
export async function compositingInfo(browser: Browser): Promise<{ gpuCompositing: string; webglRenderer: string }> {
  const cdp = await browser.newBrowserCDPSession();
  const { gpu } = await cdp.send('SystemInfo.getInfo');
  await cdp.detach();
  const page = await browser.newPage();
  try {
    const webglRenderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      if (!gl) return 'no WebGL2';
      const debug = gl.getExtension('WEBGL_debug_renderer_info');
      return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    });
    const status = (gpu.featureStatus as Record<string, unknown>).gpu_compositing;
    return { gpuCompositing: typeof status === 'string' ? status : 'unknown', webglRenderer };
  } finally {
    await page.close();
  }
}

/** Fails when Chromium does not composite the way `launch` asked (a benchmark's name says which). */
export async function expectCompositing(browser: Browser, launch: LaunchOptions = {}): Promise<void> {
  const info = await compositingInfo(browser);
  const expected = launch.compositing === 'gpu' ? 'enabled' : 'disabled_software';
  if (info.gpuCompositing !== expected) {
    throw new Error(`gpu_compositing is ${info.gpuCompositing}, not ${expected} (WebGL: ${info.webglRenderer})`);
  }
}

/**
 * Records every RTCPeerConnection the page creates (and the ICE servers it was
 * given) so tests can assert that data really went over WebRTC, and the life
 * of each (created, its connection and signaling states, and the caller of
 * `close()`), so a test that sees a connection missing can say which it was.
 */
const PEER_CONNECTION_PROBE = `(() => {
  const Native = window.RTCPeerConnection;
  if (!Native || window.__peerConnections) return;
  window.__peerConnections = [];
  window.__iceServerConfigs = [];
  window.__peerConnectionLog = [];
  const note = (pc, event, detail) => {
    if (window.__peerConnectionLog.length < 500) {
      window.__peerConnectionLog.push({ pc: window.__peerConnections.indexOf(pc), at: Math.round(performance.now()), event, detail });
    }
  };
  window.RTCPeerConnection = class extends Native {
    constructor(config, ...rest) {
      super(config, ...rest);
      window.__peerConnections.push(this);
      window.__iceServerConfigs.push(JSON.stringify((config && config.iceServers) || null));
      note(this, 'created', '');
      this.addEventListener('connectionstatechange', () => note(this, 'connection', this.connectionState));
      this.addEventListener('signalingstatechange', () => note(this, 'signaling', this.signalingState));
    }
    close() {
      const caller = (new Error().stack || '').split('\\n').slice(2, 6).map((line) => line.trim()).join(' < ');
      note(this, 'close()', caller);
      super.close();
    }
  };
})();`;

export interface ContextOptions {
  /** Display name stored as this browser's identity. */
  name?: string;
  color?: string;
  /** Let the page load code the app's content security policy would refuse (benchmarks' own audio worklets). */
  bypassCSP?: boolean;
  /**
   * No service worker: every request of the page goes to the network, where `page.route` sees it
   * (a request the service worker answers from its precache never reaches the page's routes).
   */
  blockServiceWorkers?: boolean;
  /**
   * An emulated Meta Quest 3 in every page (xr-headset.ts): the browser offers immersive VR and AR,
   * and tests drive the device as `globalThis.__holoroomXRDevice`.
   */
  headset?: boolean;
}

export async function newContext(browser: Browser, options: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 960, height: 600 },
    ...(options.bypassCSP ? { bypassCSP: true } : {}),
    ...(options.blockServiceWorkers ? { serviceWorkers: 'block' as const } : {}),
  });
  await preparePages(context, options);
  return context;
}

/** What every page of `context` starts with: the peer-connection probe, the identity, the emulated headset. */
export async function preparePages(context: BrowserContext, options: ContextOptions = {}): Promise<void> {
  await context.addInitScript(PEER_CONNECTION_PROBE);
  if (options.headset) await context.addInitScript(await headsetScript());
  if (options.name) {
    const identity = JSON.stringify({ name: options.name, color: options.color ?? '#4d96ff' });
    await context.addInitScript(`localStorage.setItem('holoroom.identity', ${JSON.stringify(identity)});`);
  }
}

/** States of the page's RTCPeerConnections. */
export async function peerConnectionStates(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pcs = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    return pcs.map((pc) => pc.connectionState);
  });
}

/** One event in the life of a page's RTCPeerConnection (`pc` is its index in `peerConnectionStates`). */
export interface PeerConnectionEvent {
  pc: number;
  /** Page clock (ms since navigation). */
  at: number;
  event: 'created' | 'connection' | 'signaling' | 'close()';
  /** The new state, or for `close()` the calling frames. */
  detail: string;
}

/** Every peer connection event of the page so far, in order (at most 500). */
export async function peerConnectionHistory(page: Page): Promise<PeerConnectionEvent[]> {
  return page.evaluate(
    () => (window as unknown as { __peerConnectionLog?: PeerConnectionEvent[] }).__peerConnectionLog ?? [],
  );
}

/** The `iceServers` every RTCPeerConnection of the page was created with (JSON). */
export async function iceServerConfigs(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __iceServerConfigs?: string[] }).__iceServerConfigs ?? []);
}

/** Saves a screenshot under e2e/artifacts/ and returns the PNG bytes. */
export async function saveScreenshot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return page.screenshot({ path: path.join(ARTIFACTS_DIR, name) });
}

/** Collects console errors and failed requests, for a clear message when a test fails. */
export function watchPage(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return { errors };
}

/** Polls `check` until it returns true, failing with `describe()` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => Promise<string> | string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
}
