/**
 * The script editor's DOM as tests read it (app/editor/script-editor.ts): one
 * place for its selectors, so a change to the editor's markup changes one file.
 */
import type { Page } from 'playwright-core';

/** The textarea people type into. */
export const EDITOR_INPUT = '[data-testid="script-editor-content"]';
/** The whole editor (its focus ring, its box in layout checks). */
export const EDITOR_ROOT = '.holo-editor';
/** The editor's scroller, and one line number cell of its sticky gutter. */
export const EDITOR_SCROLLER = '.holo-scroller';
export const EDITOR_GUTTER_CELL = '.holo-ln';
/** A token the scene language coloured as a block keyword. */
export const EDITOR_KEYWORD = '.holo-t-keyword';
/** Other people's cursor name tags. */
export const REMOTE_CURSOR_NAME = '.holo-remote-name';
/** The underline of a diagnostic of a severity. */
export const diagnosticMark = (severity: 'error' | 'warning' | 'info') => `.holo-diagnostic-${severity}`;

export async function waitForEditor(page: Page, timeout: number): Promise<void> {
  await page.locator(EDITOR_INPUT).waitFor({ timeout });
}

/** All the text in the editor (the textarea's value, the same as the shared script once synced). */
export async function editorText(page: Page): Promise<string> {
  return page.locator(EDITOR_INPUT).inputValue();
}

/** Focuses the editor, puts the caret at the start of the script (or its end) and types `text` key by key. */
export async function typeInEditor(page: Page, text: string, at: 'start' | 'end' = 'start', timeout = 30_000) {
  await page.locator(EDITOR_INPUT).focus({ timeout });
  await page.keyboard.press(at === 'start' ? 'Control+Home' : 'Control+End');
  await page.keyboard.type(text);
}

/** The names on other people's cursors drawn in this page's editor. */
export async function remoteCursorNames(page: Page): Promise<string[]> {
  return page.locator(REMOTE_CURSOR_NAME).allInnerTexts();
}
