import { describe, expect, it } from 'vitest';
import {
  ComfortSettings,
  DEFAULT_COMFORT,
  type KeyValueStorage,
  nextSnapTurn,
  parseComfort,
  SNAP_TURN_CHOICES,
  showVignette,
} from './comfort.ts';

const KEY = 'holoroom.comfort';

/** A Map behind the storage interface, optionally refusing every read or write like a denied localStorage. */
function memoryStorage(
  initial?: string,
  refuse: 'read' | 'write' | 'none' = 'none',
): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  if (initial !== undefined) map.set(KEY, initial);
  return {
    map,
    getItem(key) {
      if (refuse === 'read') throw new Error('SecurityError');
      return map.get(key) ?? null;
    },
    setItem(key, value) {
      if (refuse === 'write') throw new Error('QuotaExceededError');
      map.set(key, value);
    },
  };
}

describe('comfort settings', () => {
  it('[COMFORT1] a well-formed stored value is used as it is', () => {
    expect(parseComfort('{"snapTurnDeg":45,"vignette":true}')).toEqual({ snapTurnDeg: 45, vignette: true });
    expect(parseComfort('{"snapTurnDeg":0,"vignette":false}')).toEqual({ snapTurnDeg: 0, vignette: false });
  });

  it('[COMFORT1] nothing stored, or corrupt stored values, fall back to the defaults field by field', () => {
    expect(parseComfort(null)).toEqual(DEFAULT_COMFORT);
    expect(parseComfort('')).toEqual(DEFAULT_COMFORT);
    for (const corrupt of ['{', 'null', '42', '"30"', '[30,true]', 'true', `{"snapTurnDeg":${'9'.repeat(400)}}`]) {
      expect(parseComfort(corrupt), corrupt).toEqual(DEFAULT_COMFORT);
    }
    // An angle that is not one of the choices, or not a number; a vignette that is not a boolean.
    expect(parseComfort('{"snapTurnDeg":17,"vignette":true}')).toEqual({ snapTurnDeg: 30, vignette: true });
    expect(parseComfort('{"snapTurnDeg":"45","vignette":1}')).toEqual(DEFAULT_COMFORT);
    expect(parseComfort('{"snapTurnDeg":1e400,"vignette":"yes"}')).toEqual(DEFAULT_COMFORT);
    expect(parseComfort('{"snapTurnDeg":90,"__proto__":{"vignette":true}}')).toEqual({
      snapTurnDeg: 90,
      vignette: false,
    });
  });

  it('[COMFORT2] a change is saved and read back by the next visit on this device', () => {
    const storage = memoryStorage();
    const first = new ComfortSettings(storage);
    expect(first.settings.get()).toEqual(DEFAULT_COMFORT);
    first.nextSnapTurn();
    first.toggleVignette();
    expect(first.settings.get()).toEqual({ snapTurnDeg: 45, vignette: true });
    expect(new ComfortSettings(storage).settings.get()).toEqual({ snapTurnDeg: 45, vignette: true });
  });

  it('[COMFORT1] a corrupt stored value gives defaults, and the next change replaces it', () => {
    const storage = memoryStorage('{"snapTurnDeg":12345,"vignette":"maybe"}');
    const comfort = new ComfortSettings(storage);
    expect(comfort.settings.get()).toEqual(DEFAULT_COMFORT);
    comfort.toggleVignette();
    expect(JSON.parse(storage.map.get(KEY) ?? '')).toEqual({ snapTurnDeg: 30, vignette: true });
  });

  it('[COMFORT2] storage that refuses keeps the settings for this visit', () => {
    const denied = new ComfortSettings(memoryStorage(undefined, 'read'));
    expect(denied.settings.get()).toEqual(DEFAULT_COMFORT);
    const full = new ComfortSettings(memoryStorage(undefined, 'write'));
    full.nextSnapTurn();
    expect(full.settings.get().snapTurnDeg).toBe(45);
    const none = new ComfortSettings(undefined);
    none.toggleVignette();
    expect(none.settings.get().vignette).toBe(true);
  });

  it('[COMFORT2] the snap-turn choice cycles through the angles and back to off', () => {
    expect(SNAP_TURN_CHOICES.map(nextSnapTurn)).toEqual([30, 45, 90, 0]);
  });

  it('[COMFORT3] the vignette shows only while moving smoothly, and only when chosen', () => {
    expect(showVignette({ snapTurnDeg: 30, vignette: true }, true)).toBe(true);
    expect(showVignette({ snapTurnDeg: 30, vignette: true }, false)).toBe(false);
    expect(showVignette({ snapTurnDeg: 30, vignette: false }, true)).toBe(false);
  });
});
