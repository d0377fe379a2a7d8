/**
 * Where the update prompt shows (docs/ui.md, LAYOUT4): a room page offers a
 * place in its side panel, so the prompt is a notice in the room's grid and
 * not a box floating over it; other pages have none and the prompt floats at
 * the bottom right.
 */
import { createStore } from '../core/store.ts';

export const updatePromptSlot = createStore<HTMLElement | null>(null);

/** A callback ref for the element that holds the prompt while it is mounted. */
export function holdUpdatePrompt(element: HTMLElement | null): () => void {
  updatePromptSlot.set(element);
  return () => updatePromptSlot.set(null);
}
