import { describe, expect, it } from 'vitest';
import { cleanName, type KeyValueStorage, loadIdentity, MAX_NAME_LENGTH, PALETTE, parseIdentity } from './identity.ts';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

describe('identity', () => {
  it('creates a random name and palette colour once and remembers it', () => {
    const storage = memoryStorage();
    const first = loadIdentity(storage, () => 0.5);
    expect(first.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(PALETTE).toContain(first.color);
    expect(loadIdentity(storage, () => 0.1)).toEqual(first);
  });

  it('replaces corrupt or hostile stored values instead of throwing', () => {
    for (const stored of ['{', '"x"', '{"name":"","color":"#ffffff"}', '{"name":"a","color":"red"}']) {
      const identity = loadIdentity(memoryStorage({ 'holoroom.identity': stored }), () => 0);
      expect(identity.name.length).toBeGreaterThan(0);
    }
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadIdentity(throwing).name.length).toBeGreaterThan(0);
  });

  it('cleans names from peers: control characters, whitespace, length', () => {
    expect(cleanName('  Ada\u0000\u001b[31m Lovelace \n')).toBe('Ada[31m Lovelace');
    expect([...cleanName('🦊'.repeat(100))]).toHaveLength(MAX_NAME_LENGTH);
    expect(parseIdentity({ name: 'x', color: '#12345g' })).toBeUndefined();
    expect(parseIdentity({ name: '\u0007', color: '#123456' })).toBeUndefined();
    expect(parseIdentity({ name: ' Bo ', color: '#123456', extra: 1 })).toEqual({ name: 'Bo', color: '#123456' });
  });
});
