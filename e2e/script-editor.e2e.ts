// The script editor in one real browser: a long script, the textarea lined up
// with the drawn lines, and the indentation keys. (Two browsers editing one
// script: sync-editor.e2e.ts.)
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  EDITOR_GUTTER_CELL,
  EDITOR_INPUT,
  EDITOR_ROOT,
  EDITOR_SCROLLER,
  editorText,
  waitForEditor,
} from './editor-helpers.ts';
import { waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

const TEST_TIMEOUT_MS = 180_000;
const SLOW_PAGE_MS = 60_000;

/** A script of about 152 KB: one object, then comment lines (nothing heavy for the scene to draw). */
function longScript(): string {
  const lines = ['object "Anchor" { geometry: "box" }'];
  for (let i = 0; lines.join('\n').length < 152_000 && i < 10_000; i++) {
    lines.push(`// line ${i}: a comment long enough to make the script weigh what a big scene does`);
  }
  return lines.join('\n');
}

const newRoom = () => `e2escripteditor${Date.now().toString(36)}`;

/** A room page (nothing drawn: `?render=off`) with the editor open, in a browser context of its own. */
async function openEditorPage(
  viewport = { width: 1000, height: 700 },
  room = newRoom(),
): Promise<{ page: Page; errors: string[] }> {
  const context = await suite.context({ name: 'Writer' });
  await context.addInitScript(`localStorage.setItem('holoroom.editor', '{"open":true}');`);
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const { errors } = watchPage(page);
  await page.goto(`${suite.server.url}/r/${room}?seed=off&render=off`);
  await waitForEditor(page, SLOW_PAGE_MS);
  return { page, errors };
}

async function setScript(page: Page, text: string): Promise<void> {
  await page.evaluate((script) => window.__holoroom?.session?.room.replaceScript(script), text);
}

/** How far the textarea's text and the drawn lines disagree: their heights, and the text column's width. */
function measureAlignment(page: Page) {
  return page.evaluate((rootSelector) => {
    const root = document.querySelector(rootSelector) as HTMLElement;
    const input = root.querySelector('textarea') as HTMLTextAreaElement;
    const lines = root.querySelector('.holo-lines') as HTMLElement;
    const text = root.querySelector('.holo-text') as HTMLElement;
    const style = getComputedStyle(input);
    const inputTextWidth =
      input.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
    const textStyle = getComputedStyle(text);
    const drawnTextWidth = text.getBoundingClientRect().width - Number.parseFloat(textStyle.paddingRight);
    // The textarea's own text height: shrink it for a moment so its scroll height is its content.
    input.style.height = '0px';
    input.style.bottom = 'auto';
    const inputTextHeight = input.scrollHeight;
    input.style.height = '';
    input.style.bottom = '';
    return {
      heightDiff: Math.abs(inputTextHeight - lines.getBoundingClientRect().height),
      widthDiff: Math.abs(inputTextWidth - drawnTextWidth),
      textLeftDiff: Math.abs(
        input.getBoundingClientRect().left + Number.parseFloat(style.paddingLeft) - text.getBoundingClientRect().left,
      ),
      rows: lines.childElementCount,
    };
  }, EDITOR_ROOT);
}

test(
  '[EDIT3] a 152 KB script loads, only the lines in view are coloured, and a keystroke at its end lands',
  async () => {
    const { page, errors } = await openEditorPage();
    const script = longScript();
    await setScript(page, script);
    await waitUntil(
      async () => (await editorText(page)).length === script.length,
      SLOW_PAGE_MS,
      async () => `the editor holds ${(await editorText(page)).length} of ${script.length} chars`,
    );
    const colouredRows = () =>
      page.evaluate(() => document.querySelectorAll('.holo-line:has([class^="holo-t-"])').length);
    const lineCount = script.split('\n').length;
    expect(await page.locator('.holo-line').count()).toBe(lineCount);
    // Rows in view and a margin of 20 on each side, not the 1,800 lines of the script.
    expect(await colouredRows()).toBeGreaterThan(0);
    expect(await colouredRows()).toBeLessThan(120);

    await page.locator(EDITOR_INPUT).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('!');
    await waitUntil(
      () => page.evaluate(() => window.__holoroom?.session?.room.scriptText().endsWith('big scene does!') === true),
      SLOW_PAGE_MS,
      () => 'the keystroke did not reach the shared script',
    );
    // The end of the script is in view now (the scroller followed the caret), and coloured at the next frame.
    const lastRow = () =>
      page.evaluate(() => {
        const rows = document.querySelectorAll('.holo-line');
        const row = rows[rows.length - 1] as HTMLElement;
        const scroller = document.querySelector('.holo-scroller') as HTMLElement;
        const box = row.getBoundingClientRect();
        const view = scroller.getBoundingClientRect();
        return {
          inView: box.top >= view.top && box.bottom <= view.bottom + 1,
          coloured: row.querySelector('.holo-t-lineComment') !== null,
        };
      });
    await waitUntil(
      async () => {
        const last = await lastRow();
        return last.inView && last.coloured;
      },
      10_000,
      async () => `the last line: ${JSON.stringify(await lastRow())}`,
    );
    expect(errors).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[EDIT2] the textarea and the drawn lines wrap alike at every font size, wrapped or not',
  async () => {
    const { page } = await openEditorPage({ width: 700, height: 600 });
    const long = `object "Long" { text: "${'word '.repeat(60)}" }`;
    await setScript(page, `${long}\n\n${long}\nobject "Short" {}\n${'x\t'.repeat(30)}`);
    await waitUntil(
      async () => (await editorText(page)).includes('Short'),
      SLOW_PAGE_MS,
      () => 'no script',
    );
    const results: Record<string, unknown> = {};
    for (const wrap of [false, true]) {
      if (((await page.getByRole('button', { name: 'Wrap' }).getAttribute('aria-pressed')) === 'true') !== wrap) {
        await page.getByRole('button', { name: 'Wrap' }).click();
      }
      for (const press of ['A− (smaller text)', 'A+ (larger text)', 'A+ (larger text)']) {
        await page.getByRole('button', { name: press, exact: true }).click();
        const size = await page.locator(EDITOR_ROOT).evaluate((element) => getComputedStyle(element).fontSize);
        const measured = await measureAlignment(page);
        results[`${wrap ? 'wrap' : 'nowrap'} ${size}`] = measured;
        expect(measured.heightDiff, `${wrap} ${size}`).toBeLessThan(1);
        expect(measured.widthDiff, `${wrap} ${size}`).toBeLessThan(1);
        expect(measured.textLeftDiff, `${wrap} ${size}`).toBeLessThan(1);
      }
    }
    // Wrapping made the long lines take several rows' height: the check above compared wrapped text.
    const wrappedHeight = await page
      .locator('.holo-line')
      .first()
      .evaluate((row) => row.getBoundingClientRect().height);
    const plainHeight = await page
      .locator('.holo-line')
      .nth(3)
      .evaluate((row) => row.getBoundingClientRect().height);
    expect(wrappedHeight, JSON.stringify(results)).toBeGreaterThan(plainHeight * 2);
  },
  TEST_TIMEOUT_MS,
);

/**
 * How far the caret's character on the first line sits right of the gutter (px, negative when under it),
 * and the scroller's horizontal scroll.
 */
function caretBesideGutter(page: Page) {
  return page.evaluate(
    ([scrollerSelector, gutterSelector, inputSelector]) => {
      const scroller = document.querySelector(scrollerSelector) as HTMLElement;
      const gutter = (document.querySelector(gutterSelector) as HTMLElement).getBoundingClientRect();
      const column = (document.querySelector(inputSelector) as HTMLTextAreaElement).selectionStart;
      const cell = document.querySelector('.holo-text') as HTMLElement;
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      let left = column;
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (left > node.length) {
          left -= node.length;
          continue;
        }
        const range = document.createRange();
        range.setStart(node, left);
        range.setEnd(node, Math.min(left + 1, node.length));
        const at = range.getBoundingClientRect().left;
        return { column, clearOfGutter: at - gutter.right, scrollLeft: scroller.scrollLeft };
      }
      return { column, clearOfGutter: Number.NaN, scrollLeft: scroller.scrollLeft };
    },
    [EDITOR_SCROLLER, EDITOR_GUTTER_CELL, EDITOR_INPUT] as const,
  );
}

test(
  "[EDIT14] with wrapping off, the caret brings its text out from under the line numbers: Home, or arrows to the left across a line scrolled to its end, show the caret's characters beside the gutter",
  async () => {
    const { page } = await openEditorPage({ width: 700, height: 500 });
    const long = `object "Long" { text: "${'word '.repeat(80)}" }`;
    await setScript(page, `${long}\nobject "Short" {}`);
    await waitUntil(
      async () => (await editorText(page)).includes('Short'),
      SLOW_PAGE_MS,
      () => 'no script',
    );
    expect(await page.getByRole('button', { name: 'Wrap' }).getAttribute('aria-pressed')).toBe('false');
    const toLineEnd = async () => {
      await page.keyboard.press('End');
      await waitUntil(
        async () => (await caretBesideGutter(page)).scrollLeft > 200,
        10_000,
        async () =>
          `the scroller did not follow the caret to the end: ${JSON.stringify(await caretBesideGutter(page))}`,
      );
    };
    await page.locator(EDITOR_INPUT).focus();
    await page.keyboard.press('Control+Home');
    await toLineEnd();
    // Home: the scroller follows the caret back, and the line's start sits beside the gutter, not under it.
    await page.keyboard.press('Home');
    await waitUntil(
      async () => (await caretBesideGutter(page)).clearOfGutter > -1,
      10_000,
      async () => `the line's start: ${JSON.stringify(await caretBesideGutter(page))}`,
    );
    // Arrows to the left from the end, past the scroller's left edge: the caret's character shows too.
    await toLineEnd();
    for (let i = 0; i < 150; i++) await page.keyboard.press('ArrowLeft');
    const moved = await caretBesideGutter(page);
    expect(moved.scrollLeft, JSON.stringify(moved)).toBeGreaterThan(50);
    expect(moved.clearOfGutter, JSON.stringify(moved)).toBeGreaterThan(-1);
  },
  TEST_TIMEOUT_MS,
);

/** The gutter cell's width, the textarea's left padding and the width of `digits` zeros in the gutter's font (px). */
function gutterWidths(page: Page, digits: number) {
  return page.evaluate(
    ([cellSelector, inputSelector, count]) => {
      const cell = document.querySelector(cellSelector) as HTMLElement;
      const probe = document.createElement('span');
      probe.textContent = '0'.repeat(count);
      probe.style.position = 'absolute';
      cell.append(probe);
      const number = probe.getBoundingClientRect().width;
      probe.remove();
      return {
        cell: cell.getBoundingClientRect().width,
        padding: Number.parseFloat(getComputedStyle(cell).paddingRight),
        input: Number.parseFloat(getComputedStyle(document.querySelector(inputSelector) as HTMLElement).paddingLeft),
        number,
      };
    },
    [EDITOR_GUTTER_CELL, EDITOR_INPUT, digits] as const,
  );
}

test(
  '[EDIT15] the gutter grows with the number of lines: a 120-line and a 1,000-line script have room for their last line number, and the textarea moves with it',
  async () => {
    const { page } = await openEditorPage({ width: 700, height: 500 });
    const script = (lines: number) =>
      Array.from({ length: lines }, (_, i) => (i === 0 ? 'object "A" {}' : `// ${i + 1}`)).join('\n');
    const widths: number[] = [];
    for (const lines of [9, 120, 1000]) {
      await setScript(page, script(lines));
      await waitUntil(
        async () => (await editorText(page)).endsWith(`// ${lines}`),
        SLOW_PAGE_MS,
        () => `no ${lines}-line script`,
      );
      const digits = String(lines).length;
      const at = await gutterWidths(page, digits);
      // The last line's number fits in the cell beside its padding, and the typed text starts where the drawn text does.
      expect(at.cell, `${lines} lines: ${JSON.stringify(at)}`).toBeGreaterThanOrEqual(at.number + at.padding);
      expect(at.input, `${lines} lines: ${JSON.stringify(at)}`).toBeCloseTo(at.cell, 1);
      widths.push(at.cell);
    }
    expect(widths[1]).toBeGreaterThan(widths[0] as number);
    expect(widths[2]).toBeGreaterThan(widths[1] as number);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[EDIT8] Tab passes through to the next control until one types; then Tab indents, Enter keeps the indentation, Escape lets Tab go',
  async () => {
    const { page } = await openEditorPage();
    await setScript(page, 'object "A" {');
    await waitUntil(
      async () => (await editorText(page)) === 'object "A" {',
      SLOW_PAGE_MS,
      () => 'no script',
    );
    const shared = () => page.evaluate(() => window.__holoroom?.session?.room.scriptText());
    const focusedIsEditor = () =>
      page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'script-editor-content');
    // Arriving by keyboard: Tab goes on to the next control.
    await page.locator(EDITOR_INPUT).focus();
    await page.keyboard.press('Tab');
    expect(await focusedIsEditor()).toBe(false);
    // After typing, Tab indents and Enter keeps the indentation (one step deeper after `{`).
    await page.locator(EDITOR_INPUT).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('x: 1');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type('y');
    expect(await focusedIsEditor()).toBe(true);
    expect(await shared()).toBe('object "A" {\n  x: 1\n    y');
    await page.keyboard.press('Shift+Tab');
    expect(await shared()).toBe('object "A" {\n  x: 1\n  y');
    // Brackets close themselves and typing the closer steps over it.
    await page.keyboard.type(' = [1]');
    expect(await shared()).toBe('object "A" {\n  x: 1\n  y = [1]');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await focusedIsEditor()).toBe(false);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[EDIT11] [EDIT12] typing `colo` offers `color` with its meaning under the caret; Enter puts it in, and the other page has it',
  async () => {
    const room = newRoom();
    const { page, errors } = await openEditorPage(undefined, room);
    const other = await openEditorPage(undefined, room);
    await setScript(page, 'object "Lamp" {\n  \n}');
    await waitUntil(
      async () => (await editorText(other.page)) === 'object "Lamp" {\n  \n}',
      SLOW_PAGE_MS,
      async () => `the other page holds ${JSON.stringify(await editorText(other.page))}`,
    );
    const input = page.locator(EDITOR_INPUT);
    await input.focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.type('colo');
    // The textarea is a combobox whose active option is `color`, with the property's meaning shown.
    const listbox = page.getByRole('listbox', { name: 'Completions' });
    await listbox.waitFor({ timeout: 10_000 });
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    const active = page.locator(`#${await input.getAttribute('aria-activedescendant')}`);
    expect(await active.getAttribute('aria-selected')).toBe('true');
    expect(await active.locator('.holo-completion-label').textContent()).toBe('color');
    expect(await page.getByTestId('completion-info').textContent()).toMatch(/^colour.*: \S/);
    // Under the caret: its top within the row after the caret's line.
    const list = await listbox.boundingBox();
    const caretRow = await page.locator('.holo-line').nth(1).boundingBox();
    if (!list || !caretRow) throw new Error('the list or the caret line is not drawn');
    expect(list.y).toBeGreaterThan(caretRow.y);
    expect(list.y).toBeLessThan(caretRow.y + 2 * caretRow.height);
    await page.keyboard.press('Enter');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(await editorText(page)).toBe('object "Lamp" {\n  color: \n}');
    await waitUntil(
      async () => (await editorText(other.page)) === 'object "Lamp" {\n  color: \n}',
      SLOW_PAGE_MS,
      async () => `the other page holds ${JSON.stringify(await editorText(other.page))}`,
    );
    // Escape closes the list; Enter then starts a new line.
    await page.keyboard.type('"#ff0000"\n');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('obj');
    await listbox.waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(errors).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);
