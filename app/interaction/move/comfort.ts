/**
 * Comfort settings for moving in a headset (docs/interaction.md COMFORT1-COMFORT2),
 * remembered on this device. Plain TypeScript over a key-value storage
 * (localStorage in a page); the in-world menu changes them, XR locomotion and
 * the vignette read them.
 *
 *   COMFORT1 what is stored is untrusted (another version, another script, a
 *            person editing it): each field is checked on read, and a missing,
 *            unknown or malformed value falls back to its default.
 *   COMFORT2 a change is saved at once; storage that refuses (private mode,
 *            quota) keeps the setting for this visit only.
 *
 * @example
 *   const comfort = new ComfortSettings(globalThis.localStorage);
 *   comfort.nextSnapTurn();         // 30° -> 45°
 *   comfort.settings.get().vignette;
 */
import { createStore, type Store } from '../../core/store.ts';

/** Snap-turn angles a person can choose, degrees; 0 turns snap turning off. */
export const SNAP_TURN_CHOICES = [0, 30, 45, 90] as const;
export type SnapTurnDegrees = (typeof SNAP_TURN_CHOICES)[number];

export interface Comfort {
  /** LOCO2: how far one push of the right stick turns; 0 = off. */
  snapTurnDeg: SnapTurnDegrees;
  /** COMFORT3: darken the edges of the view while moving smoothly. */
  vignette: boolean;
}

export const DEFAULT_COMFORT: Readonly<Comfort> = { snapTurnDeg: 30, vignette: false };

const STORAGE_KEY = 'holoroom.comfort';
/** Longer stored text than this is not ours: refused before parsing. */
const MAX_STORED_CHARS = 256;

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const isSnapTurn = (value: unknown): value is SnapTurnDegrees =>
  (SNAP_TURN_CHOICES as readonly unknown[]).includes(value);

/** COMFORT1: the settings in `raw` (stored text), each field checked; defaults where missing or bad. */
export function parseComfort(raw: string | null | undefined): Comfort {
  if (!raw || raw.length > MAX_STORED_CHARS) return { ...DEFAULT_COMFORT };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ...DEFAULT_COMFORT };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ...DEFAULT_COMFORT };
  const fields = value as Record<string, unknown>;
  return {
    snapTurnDeg: isSnapTurn(fields.snapTurnDeg) ? fields.snapTurnDeg : DEFAULT_COMFORT.snapTurnDeg,
    vignette: typeof fields.vignette === 'boolean' ? fields.vignette : DEFAULT_COMFORT.vignette,
  };
}

/** The snap-turn choice after `current`, wrapping from the last back to off. */
export function nextSnapTurn(current: SnapTurnDegrees): SnapTurnDegrees {
  const at = SNAP_TURN_CHOICES.indexOf(current);
  return SNAP_TURN_CHOICES[(at + 1) % SNAP_TURN_CHOICES.length] as SnapTurnDegrees;
}

export class ComfortSettings {
  readonly settings: Store<Comfort>;

  constructor(private readonly storage: KeyValueStorage | undefined) {
    let raw: string | null | undefined;
    try {
      raw = storage?.getItem(STORAGE_KEY);
    } catch {
      raw = undefined; // Storage denied: defaults.
    }
    this.settings = createStore(parseComfort(raw));
  }

  /** COMFORT2: changes some settings and saves them. */
  change(patch: Partial<Comfort>): void {
    const next = parseComfort(JSON.stringify({ ...this.settings.get(), ...patch }));
    this.settings.set(next);
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Storage refused: the setting still holds for this visit.
    }
  }

  nextSnapTurn(): void {
    this.change({ snapTurnDeg: nextSnapTurn(this.settings.get().snapTurnDeg) });
  }

  toggleVignette(): void {
    this.change({ vignette: !this.settings.get().vignette });
  }
}

/** COMFORT3: the vignette shows only while the person moves smoothly, and only when they chose it. */
export function showVignette(comfort: Comfort, smoothMoving: boolean): boolean {
  return comfort.vignette && smoothMoving;
}
