/**
 * Layout checks from bounding boxes (docs/ui.md, LAYOUT1): every visible
 * control and panel of a page, clipped by the boxes that scroll or clip it,
 * must lie inside the viewport and must not intersect any other one that is
 * not its ancestor or descendant.
 */
import type { Page } from 'playwright-core';
import { EDITOR_ROOT } from './editor-helpers.ts';

export interface Box {
  /** A readable name: tag, test id or class, and the start of its text. */
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutReport {
  viewport: { width: number; height: number };
  boxes: Box[];
  overlaps: string[];
  outside: string[];
  /** Horizontal scroll of the document itself (the page must never scroll sideways). */
  pageScrollX: number;
}

/** Controls and panels whose boxes are checked. */
const LAYOUT_SELECTOR = [
  'button',
  'a[href]',
  'input',
  'select',
  'textarea',
  'label',
  'h1',
  'h2',
  'p',
  'li',
  '[role="status"]',
  '[role="alert"]',
  '.room-bar',
  '.room-tools',
  '.scene-status',
  '.room-side',
  '.script-panel',
  '.pose-hud',
  '.xr-buttons',
  EDITOR_ROOT,
].join(', ');

/** Measures the page (in the browser) and lists overlapping pairs and boxes outside the viewport. */
export function measureLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(
    ([selector, editorRoot]) => {
      const TOLERANCE = 0.5;
      const viewport = { width: innerWidth, height: innerHeight };
      const visibleRect = (element: Element): DOMRect | undefined => {
        const style = getComputedStyle(element);
        if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return undefined;
        const own = element.getBoundingClientRect();
        let left = own.left;
        let top = own.top;
        let right = own.right;
        let bottom = own.bottom;
        for (let parent = element.parentElement; parent; parent = parent.parentElement) {
          const parentStyle = getComputedStyle(parent);
          if (parentStyle.overflowX === 'visible' && parentStyle.overflowY === 'visible') continue;
          const clip = parent.getBoundingClientRect();
          left = Math.max(left, clip.left);
          top = Math.max(top, clip.top);
          right = Math.min(right, clip.right);
          bottom = Math.min(bottom, clip.bottom);
        }
        if (right - left < 1 || bottom - top < 1) return undefined;
        return new DOMRect(left, top, right - left, bottom - top);
      };
      const label = (element: Element): string => {
        const id = element.getAttribute('data-testid');
        const cls = element.getAttribute('class')?.split(' ')[0];
        const text = (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 30);
        return `${element.tagName.toLowerCase()}${id ? `[${id}]` : cls ? `.${cls}` : ''} "${text}"`;
      };
      const measured: { element: Element; rect: DOMRect; name: string }[] = [];
      for (const element of document.querySelectorAll(selector)) {
        if (element.closest(editorRoot) && !element.matches(editorRoot)) continue; // the editor's inside is its own
        const rect = visibleRect(element);
        if (rect) measured.push({ element, rect, name: label(element) });
      }
      const overlaps: string[] = [];
      const outside: string[] = [];
      for (const { rect, name } of measured) {
        if (
          rect.left < -TOLERANCE ||
          rect.top < -TOLERANCE ||
          rect.right > viewport.width + TOLERANCE ||
          rect.bottom > viewport.height + TOLERANCE
        ) {
          outside.push(
            `${name} at ${Math.round(rect.left)},${Math.round(rect.top)} ${Math.round(rect.width)}x${Math.round(rect.height)}`,
          );
        }
      }
      for (let i = 0; i < measured.length; i++) {
        for (let j = i + 1; j < measured.length; j++) {
          const a = measured[i] as (typeof measured)[number];
          const b = measured[j] as (typeof measured)[number];
          if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
          const width = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
          const height = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
          if (width > TOLERANCE && height > TOLERANCE) overlaps.push(`${a.name} × ${b.name}`);
        }
      }
      return {
        viewport,
        boxes: measured.map(({ rect, name }) => ({
          name,
          x: rect.x,
          y: rect.y,
          width: rect.width,
          height: rect.height,
        })),
        overlaps,
        outside,
        pageScrollX: document.scrollingElement?.scrollWidth ? document.scrollingElement.scrollWidth - innerWidth : 0,
      };
    },
    [LAYOUT_SELECTOR, EDITOR_ROOT] as const,
  );
}

/** Two animation frames: layout and the canvas have followed a resize or a click. */
export function settle(page: Page): Promise<void> {
  return page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

/** The viewports every screen is checked at: phone portrait (two), phone landscape, small laptop, laptop. */
export const VIEWPORTS = [
  { name: 'phone-320', width: 320, height: 640 },
  { name: 'phone-390', width: 390, height: 844 },
  { name: 'phone-landscape', width: 844, height: 390 },
  { name: 'laptop-960', width: 960, height: 600 },
  { name: 'laptop-1280', width: 1280, height: 800 },
] as const;
