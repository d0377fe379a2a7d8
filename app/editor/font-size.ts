/** Editor font sizes: plain numbers, so the room page can keep them without loading the editor. */
const MIN_FONT_SIZE = 10;
const MAX_FONT_SIZE = 32;
export const DEFAULT_FONT_SIZE = 14;

export function clampFontSize(px: number): number {
  return Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, Math.round(px)));
}
