import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';
import { useInput } from './interaction-helpers.ts';

const suite = browserSuite();

/** How long the second test holds the XR layer's chunk back. */
const XR_LAYER_DELAY_MS = 4000;

test('Enter VR starts an emulated XR session whose frames render', { timeout: 120_000 }, async () => {
  const context = await suite.context({ name: 'Diver', headset: true });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${suite.server.url}/r/e2exr${Date.now().toString(36)}`);
  await page.getByRole('button', { name: 'Enter VR' }).click();
  await waitUntil(
    // Software GL on a busy 2-core machine can render slowly: ask for frames, not a rate.
    () => page.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 20),
    60_000,
    async () =>
      `xrFrames=${await page.evaluate(() => window.__holoroom?.frameStats?.xrFrames)}; ${watch.errors.join('; ')}`,
  );
  const mode = await page.evaluate(() => window.__holoroom?.xrStore?.getState().mode);
  expect(mode).toBe('immersive-vr');
  // Presence tells the others this person is in VR.
  const inXR = await page.evaluate(() => {
    const awareness = window.__holoroom?.session?.awareness;
    return (awareness?.getLocalState() as { user?: { inXR?: boolean } } | null)?.user?.inXR;
  });
  expect(inXR).toBe(true);
  await context.close();
});

test('[LOAD4] [LOAD12] [LOAD14] Enter VR waits for the lazily loaded XR layer and headset part: pressed while they load, the session still renders', {
  timeout: 120_000,
}, async () => {
  // The renderer, and with it the XR layer, starts once the join settled (ROOM6): by then the service
  // worker may have precached the layer's chunk and would answer the page's request past the route.
  const context = await suite.context({ name: 'Early', blockServiceWorkers: true, headset: true });
  const page = await context.newPage();
  const watch = watchPage(page);
  // The XR layer's chunk and the room's headset part (LOAD12) arrive late, as on a slow network or a busy
  // machine. The panels, "Enter VR" among them, show once the room is interactive (LOAD14), which its
  // first frame inside the XR layer makes it; the headset part loads after the layer mounted.
  let headsetPartRequested = false;
  await page.route(/\/(XRLayer|room-xr)-[^/]*\.js$/, async (route) => {
    if (route.request().url().includes('/room-xr-')) headsetPartRequested = true;
    await new Promise((resolve) => setTimeout(resolve, XR_LAYER_DELAY_MS));
    await route.continue();
  });
  await page.goto(`${suite.server.url}/r/e2exrearly${Date.now().toString(36)}`);
  const enter = page.getByRole('button', { name: 'Enter VR' });
  await enter.waitFor();
  // The button is there but not yet usable: nothing could start a session on the canvas now.
  await waitUntil(
    async () => headsetPartRequested,
    30_000,
    () => "the room's headset part was never requested",
  );
  expect(await enter.isDisabled()).toBe(true);
  await enter.click();
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 20),
    60_000,
    async () =>
      `xrFrames=${await page.evaluate(() => window.__holoroom?.frameStats?.xrFrames)}; ` +
      `notice: ${await page.locator('.xr-buttons .error').allTextContents()}; ${watch.errors.join('; ')}`,
  );
  expect(await page.locator('.xr-buttons .error').count()).toBe(0);
});

interface InputModel {
  type: string;
  meshes: number;
  vertices: number;
  /** Meshes whose base colour map is an ImageBitmap (decoded by the browser, as our loader does it). */
  bitmaps: number;
  skinned: number;
  bones: number;
}

/** The models the XR store shows for each input source (controllers and hands), walked in the page. */
function inputModels(page: Page): Promise<InputModel[]> {
  return page.evaluate(() => {
    type Node = {
      isMesh?: boolean;
      isSkinnedMesh?: boolean;
      geometry?: { attributes: { position?: { count: number } } };
      material?: { map?: { image?: unknown } | null };
      skeleton?: { bones: unknown[] };
    };
    type Store = {
      getState(): { inputSourceStates: { type: string; object?: { traverse(f: (o: Node) => void): void } }[] };
    };
    const store = window.__holoroom?.xrStore as unknown as Store | undefined;
    return (store?.getState().inputSourceStates ?? []).map((state) => {
      const model = { type: state.type, meshes: 0, vertices: 0, bitmaps: 0, skinned: 0, bones: 0 };
      state.object?.traverse((node) => {
        if (!node.isMesh) return;
        model.meshes++;
        model.vertices += node.geometry?.attributes.position?.count ?? 0;
        if (node.material?.map?.image instanceof ImageBitmap) model.bitmaps++;
        if (node.isSkinnedMesh) {
          model.skinned++;
          model.bones = node.skeleton?.bones.length ?? 0;
        }
      });
      return model;
    });
  });
}

test("[LOAD32] the emulated headset's controller and hand models load with our glTF loader: textured controllers (ImageBitmaps), skinned hands of 25 bones", {
  timeout: 120_000,
}, async () => {
  const context = await suite.context({ name: 'Modeller', headset: true });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${suite.server.url}/r/e2exrmodels${Date.now().toString(36)}`);
  await page.getByRole('button', { name: 'Enter VR' }).click();
  const loaded = (type: string) => async () =>
    (await inputModels(page)).filter((model) => model.type === type && model.meshes > 0).length === 2;
  await waitUntil(
    loaded('controller'),
    60_000,
    async () => `${JSON.stringify(await inputModels(page))}; ${watch.errors}`,
  );
  for (const controller of await inputModels(page)) {
    expect(controller.vertices, JSON.stringify(controller)).toBeGreaterThan(1000);
    expect(controller.bitmaps, JSON.stringify(controller)).toBeGreaterThan(0);
  }
  await useInput(page, 'hand');
  await waitUntil(loaded('hand'), 60_000, async () => `${JSON.stringify(await inputModels(page))}; ${watch.errors}`);
  for (const hand of await inputModels(page)) expect([hand.type, hand.skinned, hand.bones]).toEqual(['hand', 1, 25]);
  expect(watch.errors.filter((error) => /could not be loaded|glTF|GLTF/.test(error))).toEqual([]);
  await context.close();
});
