/**
 * The editor panel's remembered settings (open, font size, line wrapping),
 * with larger defaults in a headset's browser, where the panel is read at arm's
 * length before entering VR.
 */
import { clampFontSize, DEFAULT_FONT_SIZE } from './font-size.ts';

export interface PanelPreferences {
  open: boolean;
  fontSize: number;
  wrap: boolean;
}

const STORAGE_KEY = 'holoroom.editor';
const HEADSET_FONT_SIZE = 20;

/** Quest, Pico and other standalone headsets' browsers. */
export function isHeadsetBrowser(userAgent: string): boolean {
  return /OculusBrowser|Quest|Pico|VRBrowser|Wolvic|Mobile VR/i.test(userAgent);
}

export function defaultPreferences(userAgent: string): PanelPreferences {
  const headset = isHeadsetBrowser(userAgent);
  return { open: false, fontSize: headset ? HEADSET_FONT_SIZE : DEFAULT_FONT_SIZE, wrap: headset };
}

interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadPreferences(storage: KeyValueStorage | undefined, userAgent: string): PanelPreferences {
  const fallback = defaultPreferences(userAgent);
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return fallback;
    const value = JSON.parse(raw) as Record<string, unknown>;
    return {
      open: typeof value.open === 'boolean' ? value.open : fallback.open,
      fontSize: typeof value.fontSize === 'number' ? clampFontSize(value.fontSize) : fallback.fontSize,
      wrap: typeof value.wrap === 'boolean' ? value.wrap : fallback.wrap,
    };
  } catch {
    return fallback;
  }
}

export function savePreferences(storage: KeyValueStorage | undefined, preferences: PanelPreferences): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(preferences));
  } catch {
    // Storage denied: the settings still hold for this visit.
  }
}
