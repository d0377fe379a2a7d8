import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { listPeers, parsePresence } from './presence.ts';

describe('presence', () => {
  it('lists valid peers sorted by name, excluding myself and malformed states', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalStateField('user', { name: 'Me', color: '#000000', inXR: false });
    const states = awareness.getStates();
    states.set(11, { user: { name: 'Zoe', color: '#ff0000', inXR: true } });
    states.set(12, { user: { name: 'Al', color: '#00ff00' } });
    states.set(13, { user: { name: '__proto__', color: 'javascript:alert(1)' } });
    states.set(14, { nothing: true });
    expect(listPeers(awareness)).toEqual([
      { clientId: 12, name: 'Al', color: '#00ff00', inXR: false },
      { clientId: 11, name: 'Zoe', color: '#ff0000', inXR: true },
    ]);
  });

  it('treats anything but true as not in XR', () => {
    expect(parsePresence({ user: { name: 'A', color: '#123456', inXR: 'yes' } })?.inXR).toBe(false);
  });
});
