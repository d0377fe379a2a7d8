/**
 * Who I am in a room: a display name and a colour, chosen at random the first
 * time and remembered on this device. Shown to others through presence.
 */
export interface Identity {
  name: string;
  color: string;
}

/** Colours that read well as avatar tints and name tags on the dark UI. */
export const PALETTE = [
  '#ef476f',
  '#f78c6b',
  '#ffd166',
  '#06d6a0',
  '#1fb5c9',
  '#4d96ff',
  '#9b5de5',
  '#f15bb5',
] as const;

const ADJECTIVES = ['Amber', 'Brisk', 'Calm', 'Dusky', 'Eager', 'Fuzzy', 'Gentle', 'Happy', 'Lucky', 'Misty'];
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Panda', 'Fox', 'Koala', 'Orca', 'Finch', 'Gecko', 'Yak'];

export const MAX_NAME_LENGTH = 32;
const STORAGE_KEY = 'holoroom.identity';

export type Random = () => number;

function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length) % items.length] as T;
}

function randomIdentity(random: Random = Math.random): Identity {
  return { name: `${pick(ADJECTIVES, random)} ${pick(ANIMALS, random)}`, color: pick(PALETTE, random) };
}

/** Trims, removes control characters and caps the length; empty stays empty. */
export function cleanName(name: string): string {
  const cleaned = [...name]
    .filter((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code >= 0x20 && code !== 0x7f;
    })
    .join('')
    .trim();
  return [...cleaned].slice(0, MAX_NAME_LENGTH).join('');
}

function isColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
}

/**
 * Validates an identity that came from storage or from a peer. Returns
 * undefined for anything malformed rather than throwing.
 */
export function parseIdentity(value: unknown): Identity | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, color } = value as Record<string, unknown>;
  if (typeof name !== 'string' || !isColor(color)) return undefined;
  const cleaned = cleanName(name);
  return cleaned ? { name: cleaned, color } : undefined;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadIdentity(storage: KeyValueStorage | undefined, random: Random = Math.random): Identity {
  try {
    const stored = storage?.getItem(STORAGE_KEY);
    const parsed = stored ? parseIdentity(JSON.parse(stored)) : undefined;
    if (parsed) return parsed;
  } catch {
    // Unreadable storage (private mode, corrupt JSON): fall through to a fresh identity.
  }
  const fresh = randomIdentity(random);
  saveIdentity(storage, fresh);
  return fresh;
}

export function saveIdentity(storage: KeyValueStorage | undefined, identity: Identity): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(identity));
  } catch {
    // Storage full or denied: the identity still works for this visit.
  }
}
