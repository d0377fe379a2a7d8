/**
 * axe-core in the page under test (docs/ui.md, ACC4): its source is evaluated
 * in the page, `axe.run` checks the whole document, and the serious and
 * critical violations come back as readable lines (rule, impact, the elements).
 *
 * @example
 *   expect(await accessibilityViolations(page), 'start page').toEqual([]);
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** Impacts that fail a screen; minor and moderate findings are reported by axe but not asserted. */
const FAILING_IMPACTS = ['serious', 'critical'];

/** The serious and critical violations on `page`, one line each: `rule (impact): help — targets`. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  // Evaluated through the debugging protocol: the app's Content-Security-Policy forbids inline scripts.
  if (!injected) await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const { axe: checker } = window as unknown as { axe: typeof import('axe-core') };
    const results = await checker.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
  return violations
    .filter((violation) => violation.impact !== null && FAILING_IMPACTS.includes(violation.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.slice(0, 5).join(', ')}`);
}
