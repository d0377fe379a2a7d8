/**
 * An emulated Meta Quest 3 for the browser tests and benchmarks: IWER (the
 * `iwer` package) bundled here into one classic script and run in a page
 * before any of the app's scripts, through `context.addInitScript`. It installs
 * IWER's WebXR runtime in place of Chromium's `navigator.xr`, which has no
 * device, so the app finds a headset that offers immersive VR and AR exactly
 * as it would on a real one: the app itself ships no emulator and has no test
 * switch (docs/performance.md LOAD26). The device is `globalThis.__holoroomXRDevice`,
 * which tests drive (e2e/interaction-helpers.ts moves its controllers and hands).
 *
 * @example
 *   const context = await newContext(browser, { name: 'Diver', headset: true });
 */
import { build } from 'esbuild';

/** What the page runs: IWER's Quest 3, installed over the browser's WebXR, exposed to the tests. */
const INSTALL = `
import { XRDevice, metaQuest3 } from 'iwer';
const device = new XRDevice(metaQuest3);
device.installRuntime({ forceInstall: true });
globalThis.__holoroomXRDevice = device;
`;

let script: Promise<string> | undefined;

/** The emulator as one IIFE script, bundled once per test process (about 0.2 s). */
export function headsetScript(): Promise<string> {
  script ??= build({
    stdin: { contents: INSTALL, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const [output] = result.outputFiles;
    if (!output) throw new Error('bundling the XR emulator (iwer) produced no script');
    return output.text;
  });
  return script;
}
