/**
 * Whether a key event's target takes typing, so the room's keyboard shortcuts (walking, the pose
 * HUD, push-to-talk) leave the key to it. Text fields and anything inside a text box do, including
 * the script editor's textarea when it is read-only (a viewer's, ROLE7): a person typing into it
 * means to type, not to walk. Checkboxes, buttons and sliders do
 * not: a key pressed right after ticking one is meant for the room (DESK2, docs/interaction.md).
 */
const KEYLESS_INPUTS = new Set(['checkbox', 'radio', 'range', 'button', 'submit', 'reset', 'color', 'file', 'image']);

export function takesTyping(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !KEYLESS_INPUTS.has(target.type);
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.closest('[role="textbox"]') !== null;
}
