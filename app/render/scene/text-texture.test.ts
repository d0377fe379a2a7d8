// LIMIT8: the pixel budget that text labels share (the drawing itself needs a
// canvas; the room and scene browser tests draw real labels).
import { describe, expect, it } from 'vitest';
import { TEXT_PIXEL_BUDGET, TextPixelBudget } from './text-texture.ts';

describe('text label pixel budget', () => {
  it('[LIMIT8] draws labels at full resolution while they fit, smaller past the budget, and never past it much', () => {
    const budget = new TextPixelBudget();
    const largest = { width: 2048, height: 2048 };
    const reserved: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { scale, pixels } = budget.reserve(largest.width, largest.height);
      expect(scale).toBe(1);
      reserved.push(pixels);
    }
    // Two thousand more long labels: each becomes a placeholder, and the total barely moves.
    for (let i = 0; i < 2_000; i++) {
      const { scale, pixels } = budget.reserve(largest.width, largest.height);
      expect(scale).toBeLessThan(0.01);
      reserved.push(pixels);
    }
    expect(budget.used).toBeLessThan(TEXT_PIXEL_BUDGET * 1.01);
    // Textures that go give their pixels back: the next label is sharp again.
    for (const pixels of reserved.splice(0, 2)) budget.release(pixels);
    expect(budget.reserve(1024, 256).scale).toBe(1);
  });
});
