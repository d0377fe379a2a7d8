// Scripts written to hurt: endless recursion, huge work, huge values, and
// reaching for JavaScript through prototype names. The interpreter must stop
// them with a fault (or treat the names as plain data) and never throw.
import { describe, expect, it } from 'vitest';
import { object } from '../../../testing/ids.ts';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import { dispatchEvent } from './interpreter.ts';
import {
  MAX_CALL_DEPTH,
  MAX_EFFECT_BYTES,
  MAX_STORED_PARTS,
  MAX_STRING_LENGTH,
  MAX_WRITES,
  STEP_BUDGET,
} from './limits.ts';

async function click(script: string, stepBudget?: number) {
  const model = await modelOf(script);
  return dispatchEvent({ current: model, script: model }, object('A'), 'click', {}, stepBudget ? { stepBudget } : {});
}

describe('budget and depth', () => {
  it(`[INT5] endless recursion stops at ${MAX_CALL_DEPTH} nested calls`, async () => {
    const result = await click('object "A" { again() { again() } on_click { again() } }');
    expect(result).toMatchObject({ ok: false, error: { code: 'DEPTH' } });
  });

  it(`[INT5] a fan-out of calls (2^n work) stops at the step budget of ${STEP_BUDGET}`, async () => {
    const result = await click(`object "A" {
      f(n) { if (n > 0) { f(n - 1); f(n - 1) } }
      on_click { f(12); set done true }
    }`);
    expect(result).toMatchObject({ ok: false, error: { code: 'BUDGET' } });
    expect(result.steps).toBeGreaterThan(STEP_BUDGET);
    expect(result.steps).toBeLessThan(STEP_BUDGET + 10);
  });

  it('[INT5] the budget is per event: a smaller budget stops a loop the default allows', async () => {
    const script = 'object "A" { f(n) { if (n > 0) { f(n - 1); f(n - 1) } } on_click { f(6); set done true } }';
    expect((await click(script)).ok).toBe(true);
    expect(await click(script, 50)).toMatchObject({ ok: false, error: { code: 'BUDGET' } });
  });

  it(`[INT5] strings cannot grow past ${MAX_STRING_LENGTH} characters`, async () => {
    const result = await click(`object "A" {
      grow(s, n) { if (n > 0) { return grow(s + s, n - 1) } return s }
      on_click { set big grow("xxxxxxxxxxxxxxxx", 14) }
    }`);
    expect(result).toMatchObject({ ok: false, error: { code: 'LIMIT' } });
  });

  it(`[INT5] at most ${MAX_WRITES} changes per event`, async () => {
    const sets = Array.from({ length: MAX_WRITES + 1 }, (_, i) => `set k${i} ${i}`).join('\n');
    const result = await click(`object "A" { on_click { ${sets} } }`);
    expect(result).toMatchObject({ ok: false, error: { code: 'LIMIT' } });
  });

  it('[INT5] a deeply nested expression is a fault, not a stack overflow', async () => {
    const expression = `${'('.repeat(60)}1${')'.repeat(60)}`;
    const result = await click(`object "A" { on_click { set x ${expression} } }`);
    // The parser's own depth guard may reject it first; either way nothing throws.
    expect(typeof result.ok).toBe('boolean');
  });
});

describe('allocation is charged, not only steps (INT10)', () => {
  // Ten steps make a list of 10; ten more a list of ten of those (100 numbers), and so on:
  // seven rounds stand for 10^7 numbers in under 100 steps.
  const aliasing = `
    let a = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    a = [a, a, a, a, a, a, a, a, a, a]
    a = [a, a, a, a, a, a, a, a, a, a]
    a = [a, a, a, a, a, a, a, a, a, a]
    a = [a, a, a, a, a, a, a, a, a, a]
    a = [a, a, a, a, a, a, a, a, a, a]
    a = [a, a, a, a, a, a, a, a, a, a]`;

  it(`[INT10] storing lists that hold each other stops at ${MAX_STORED_PARTS} parts, quickly`, async () => {
    const t0 = performance.now();
    const result = await click(`object "A" { on_click { ${aliasing}
      set big a } }`);
    expect(result).toMatchObject({ ok: false, error: { code: 'LIMIT' } });
    expect(result.steps).toBeLessThan(STEP_BUDGET + MAX_STORED_PARTS);
    // Nothing near 10^7 values was built: the fault comes in milliseconds, not seconds.
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('[INT10] turning such a list into text stops at the string limit instead of walking it all', async () => {
    // Three lists of 1,000 that hold each other: 10^9 items to print, in about 3,000 steps.
    const wide = `[${Array(1_000).fill('a').join(', ')}]`;
    const t0 = performance.now();
    const result = await click(`object "A" { on_click {
      let a = [1]
      a = ${wide}
      a = ${wide}
      a = ${wide}
      log "x" + a } }`);
    expect(result).toMatchObject({ ok: false, error: { code: 'LIMIT' } });
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it(`[INT10][SEC22] what one event writes is capped at ${MAX_EFFECT_BYTES / 1024} KB, below what peers accept`, async () => {
    // 64 writes of 8,000-character strings would be 512 KB.
    const sets = Array.from({ length: 60 }, (_, i) => `set k${i} s`).join('\n');
    const result = await click(`object "A" {
      grow(s, n) { if (n > 0) { return grow(s + s, n - 1) } return s }
      on_click { let s = grow("xxxxxxxxxxxxxxxx", 9)
        ${sets} } }`);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'LIMIT', message: expect.stringMatching(/KB per event/) },
    });
  });

  it('[INT10] an ordinary list of records still stores', async () => {
    const result = await click(`object "A" { on_click {
      set items [{ name: "a", n: 1 }, { name: "b", n: 2 }, { name: "c", n: 3 }] } }`);
    expect(result.ok).toBe(true);
  });
});

describe('no way out to JavaScript', () => {
  it('[INT8] __proto__, constructor and prototype are plain state names or absent members', async () => {
    const result = await click(`object "A" {
      on_click {
        set a this.constructor
        set b state.__proto__
        set c "x".constructor
        set d Math.constructor
        set e [].constructor
        let r = { __proto__: 1 }
        set f r.__proto__
      }
    }`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.effects).toEqual([
      { kind: 'state', id: 'A', key: 'a', value: null },
      { kind: 'state', id: 'A', key: 'b', value: null },
      { kind: 'state', id: 'A', key: 'c', value: null },
      { kind: 'state', id: 'A', key: 'd', value: null },
      { kind: 'state', id: 'A', key: 'e', value: null },
      { kind: 'state', id: 'A', key: 'f', value: 1 },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('[INT8] calling what JavaScript would call does nothing', async () => {
    const result = await click(`object "A" {
      on_click {
        this.constructor.constructor("return globalThis")()
        Function("x")
        eval("1")
        set done true
      }
    }`);
    // `this.constructor` is null, so calling through it stops the handler: nothing ran.
    expect(result.ok).toBe(false);
    const direct = await click('object "A" { on_click { eval("1"); Function("x"); window.alert(1); set done true } }');
    expect(direct.ok).toBe(false);
    if (!direct.ok) expect(direct.error.message).toBe('cannot read .alert of null');
  });

  it('[INT8] records with reserved keys cannot be stored in shared state', async () => {
    const result = await click('object "A" { on_click { set bad { constructor: 1 } } }');
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'TYPE', message: 'the key "constructor" cannot be stored' },
    });
  });

  it('[INT8] state names must be identifiers; objects and functions cannot be stored', async () => {
    expect(await click('object "A" { on_click { state["a b"] = 1 } }')).toMatchObject({
      ok: false,
      error: { code: 'NAME' },
    });
    expect(await click('object "A" { on_click { set me this } }')).toMatchObject({
      ok: false,
      error: { code: 'TYPE' },
    });
    expect(await click('object "A" { on_click { set f Math.floor } }')).toMatchObject({
      ok: false,
      error: { code: 'TYPE' },
    });
  });
});
