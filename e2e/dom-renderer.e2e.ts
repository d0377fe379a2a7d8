/**
 * The DOM renderer (app/ui/dom-renderer/, docs/architecture.md DOM1-DOM9) in
 * Chromium: the renderer and test components (e2e/dom-renderer/fixture.tsx)
 * bundled as the app ships them (React's production builds) into a blank
 * page; a person's input is Playwright's real clicks and key presses.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser } from './harness/browser.ts';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dom-renderer', 'fixture.tsx');

let browser: Browser;
let script: string;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [FIXTURE],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
  });
  script = bundle.outputFiles[0]?.text ?? '';
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** A blank page with two hosts and the fixture loaded; uncaught errors collected. */
async function fixturePage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setContent('<!doctype html><html><body><div id="root"></div><div id="elsewhere"></div></body></html>');
  await page.addScriptTag({ content: script });
  return { page, errors };
}

const log = (page: Page) => page.evaluate(() => window.domFixture.log.splice(0));
const state = async (page: Page) =>
  JSON.parse((await page.getByTestId('state').textContent()) ?? '') as Record<string, unknown>;

test('[DOM1] [DOM2] a root mounts elements and text, updates text in place, and unmounting empties its element; one root per element', async () => {
  const { page, errors } = await fixturePage();
  await page.evaluate(() => {
    document.getElementById('root')?.append('left over');
    window.domFixture.render('root', 'text', { text: 'hello' });
  });
  await expect.poll(() => page.locator('#root').innerHTML()).toBe('<p id="text">hello</p>');
  const node = await page.locator('#text').elementHandle();
  await page.evaluate(() => window.domFixture.render('root', 'text', { text: 'again' }));
  await expect.poll(() => page.locator('#text').textContent()).toBe('again');
  // The same element, its text changed in place.
  expect(await page.evaluate((element) => element?.isConnected, node)).toBe(true);
  const misuse = await page.evaluate(() => window.domFixture.misuse('root'));
  expect(misuse).toEqual([expect.stringContaining('already a root')]);
  await page.evaluate(() => window.domFixture.unmount('root'));
  expect(await page.locator('#root').innerHTML()).toBe('');
  expect(await page.evaluate(() => window.domFixture.misuse('root'))).toEqual([
    expect.stringContaining('was unmounted'),
  ]);
  expect(errors).toEqual([]);
  await page.close();
});

test('[DOM2] [DOM3] attributes, boolean and aria/data attributes and style are set, changed and removed; a keyed list reorders its nodes', async () => {
  const { page, errors } = await fixturePage();
  const target = page.locator('#target');
  const attributes = () =>
    target.evaluate((element) => Object.fromEntries([...element.attributes].map((a) => [a.name, a.value])));
  await page.evaluate(() => window.domFixture.render('root', 'attributes', { variant: true, items: ['a', 'b', 'c'] }));
  await expect.poll(attributes).toEqual({
    type: 'button',
    id: 'target',
    class: 'on big',
    title: 'on',
    'aria-pressed': 'true',
    'data-count': '2',
    tabindex: '0',
    style: 'color: red; margin-top: 4px; opacity: 0.5; --glow: 3;',
  });
  const b = await page.locator('#list li', { hasText: 'b' }).elementHandle();
  await page.evaluate(() => window.domFixture.render('root', 'attributes', { variant: false, items: ['c', 'b'] }));
  // Gone props are removed; false booleans are absent, false aria is "false"; style keeps only what is still set.
  await expect.poll(attributes).toEqual({
    type: 'button',
    id: 'target',
    class: 'off',
    'aria-pressed': 'false',
    hidden: '',
    style: 'color: blue;',
  });
  expect(await page.locator('#list li').allInnerTexts()).toEqual(['c', 'b']);
  expect(await page.evaluate((element) => element?.isConnected, b)).toBe(true);
  expect(errors).toEqual([]);
  await page.close();
});

test('[DOM4] [DOM6] controlled fields round-trip typing, a refused edit is undone, checkbox and range change, clicks and submit run their handlers, focus and blur bubble', async () => {
  const { page, errors } = await fixturePage();
  await page.evaluate(() => window.domFixture.render('root', 'fields', {}));
  await page.locator('#name').click();
  await page.keyboard.press('End');
  await page.keyboard.type(' L.');
  await expect.poll(() => state(page)).toMatchObject({ name: 'Ada L.' });
  expect(await page.locator('#name').inputValue()).toBe('Ada L.');
  // The caret stays where the person types: an edit in the middle goes in the middle.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.type('x');
  await expect.poll(() => page.locator('#name').inputValue()).toBe('Axda L.');
  // A field whose handler refuses letters shows its state again.
  await page.locator('#digits').click();
  await page.keyboard.press('End');
  await page.keyboard.type('3a4');
  await expect.poll(() => page.locator('#digits').inputValue()).toBe('1234');
  await page.locator('#check').check();
  await page.locator('#volume').fill('0.8');
  await page.locator('#count').click();
  await page.locator('#count').click();
  await expect
    .poll(() => state(page))
    .toEqual({
      name: 'Axda L.',
      digits: '1234',
      checked: true,
      volume: 0.8,
      clicks: 2,
    });
  expect(await page.locator('#count').textContent()).toBe('Clicked 2');
  await log(page);
  await page.locator('#name').focus();
  await page.locator('#submit').click();
  // The count button had focus from its clicks: its blur comes first.
  expect(await log(page)).toEqual(['blur count', 'focus name', 'blur name', 'focus submit', 'submit Axda L.']);
  expect(errors).toEqual([]);
  await page.close();
});

test('[DOM5] an event prop the renderer does not know is an error that names it and what is supported', async () => {
  const { page, errors } = await fixturePage();
  await page.evaluate(() => window.domFixture.render('root', 'unknownEvent', {}));
  await expect.poll(() => errors.join('\n')).toContain('does not know the event prop `onMouseEnter`');
  expect(errors.join('\n')).toContain('onClick, onSubmit, onFocus, onBlur, onChange');
  await page.close();
});

test('[DOM7] [DOM8] [DOM9] a portal renders elsewhere and its clicks bubble along the DOM; Suspense shows its fallback and hides shown content while it waits; refs and autoFocus', async () => {
  const { page, errors } = await fixturePage();
  await page.evaluate(() => window.domFixture.render('root', 'portal', { shown: true }));
  await page.locator('#elsewhere #portalled').click();
  expect(await log(page)).toEqual(['portal click']);
  await page.locator('#portal-parent').click();
  expect(await log(page)).toEqual(['parent click']);
  await page.evaluate(() => window.domFixture.render('root', 'portal', { shown: false }));
  await expect.poll(() => page.locator('#elsewhere').innerHTML()).toBe('');

  await page.evaluate(() => window.domFixture.render('root', 'lazy', { part: 0 }));
  await expect.poll(() => page.locator('#fallback').count()).toBe(1);
  await page.evaluate(() => window.domFixture.resolveLazy());
  await expect.poll(() => page.locator('#lazy').textContent()).toBe('first part');
  expect(await page.locator('#fallback').count()).toBe(0);
  // Suspending again: the shown content stays in the page, hidden, beside the fallback; then shows with its own style.
  await page.evaluate(() => window.domFixture.render('root', 'lazy', { part: 1 }));
  await expect.poll(() => page.locator('#fallback').count()).toBe(1);
  expect(await page.locator('#suspended').evaluate((element) => getComputedStyle(element).display)).toBe('none');
  await page.evaluate(() => window.domFixture.resolveLazy());
  await expect.poll(() => page.locator('#lazy').textContent()).toBe('second part');
  expect(await page.locator('#suspended').evaluate((element) => getComputedStyle(element).display)).toBe('flex');

  await log(page);
  await page.evaluate(() => window.domFixture.render('root', 'refs', {}));
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('focused');
  await page.evaluate(() => window.domFixture.unmount('root'));
  expect(await log(page)).toEqual(['callback ref with-ref', 'object ref focused', 'callback ref cleanup']);
  expect(errors).toEqual([]);
  await page.close();
});
