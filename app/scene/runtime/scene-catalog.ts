/**
 * The scenes that ship with Holoroom (public/scenes/) and switching a room to
 * one of them (docs/scene-runtime.md SCENE1-SCENE2).
 *
 *   SCENE1 switching replaces the shared script for everyone and clears every
 *          object's runtime state (moved objects, handler state, spawned
 *          objects) in the same transaction: the new scene starts as written.
 *   SCENE2 the room page asks for confirmation first, since it changes the
 *          room for everyone in it.
 */
import { SCRIPT_MAX_CHARS } from '../../sync/doc/limits.ts';
import type { WriteResult } from '../../sync/doc/room-doc.ts';

export interface SceneEntry {
  id: string;
  title: string;
  summary: string;
  path: string;
}

export const SCENES: readonly SceneEntry[] = [
  {
    id: 'lobby',
    title: 'Lobby',
    summary: 'Where new rooms start: a lamp to switch, blocks to grab, a visitor counter.',
    path: '/scenes/lobby.holo',
  },
  {
    id: 'gallery',
    title: 'Sculpture gallery',
    summary: 'Templates with overrides, nested groups, labels and a glTF model.',
    path: '/scenes/gallery.holo',
  },
  {
    id: 'playground',
    title: 'Playground',
    summary: 'Buttons, counters, spawning, hover handlers and shared state.',
    path: '/scenes/playground.holo',
  },
  {
    id: 'night-garden',
    title: 'Night garden',
    summary: 'Fog, coloured and spot lights, floating glowing lanterns.',
    path: '/scenes/night-garden.holo',
  },
];

export const LOBBY_SCENE = SCENES[0] as SceneEntry;

/** Loads a shipped scene's text (same origin; precached by the service worker for offline rooms). */
export async function fetchSceneText(entry: SceneEntry, fetchText: typeof fetch = fetch): Promise<string> {
  const response = await fetchText(entry.path, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${entry.path} answered ${response.status}`);
  const text = await response.text();
  if (text.length > SCRIPT_MAX_CHARS) throw new Error(`${entry.path} is over the script size limit`);
  return text;
}

/** SCENE2: what a person confirms before switching everyone to `entry`. */
export function switchQuestion(entry: SceneEntry): string {
  return `Switch everyone in this room to "${entry.title}"?\n\nThis replaces the shared scene script for everyone and puts every object back where the new scene places it.`;
}

/**
 * SCENE1: loads `entry` and puts it in the room (the new script and a clean
 * slate of object state, in one transaction). Resolves to the error to show,
 * or undefined when the room switched. The 2D picker and the in-world menu
 * both switch through here.
 */
export async function switchScene(
  room: { replaceScene(text: string): WriteResult },
  entry: SceneEntry,
  fetchText: typeof fetch = fetch,
): Promise<string | undefined> {
  try {
    const result = room.replaceScene(await fetchSceneText(entry, fetchText));
    return result.ok ? undefined : result.error;
  } catch (failure) {
    return `The scene could not be loaded: ${(failure as Error).message}`;
  }
}
