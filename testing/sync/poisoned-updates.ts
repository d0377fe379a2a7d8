// Test support: hostile Yjs updates shared by the unit, server and browser tests.
import * as Y from 'yjs';

/**
 * An update that decodes cleanly but fails halfway through integration (the
 * third struct's origin points at a later struct of its own client, which does
 * not exist), beside the honest update it was made from. Without the update
 * guard Yjs throws and keeps the half it integrated (app/sync/gate/update-guard.test.ts).
 */
export function poisonedPair(): { honest: Uint8Array; poisoned: Uint8Array } {
  const source = new Y.Doc();
  source.clientID = 2;
  const text = source.getText('script');
  text.insert(0, 'AAAA');
  text.insert(4, 'BBBB');
  text.insert(2, 'CC');
  const honest = Y.encodeStateAsUpdate(source);
  const poisoned = honest.slice();
  poisoned[28] = 39;
  return { honest, poisoned };
}

export function poisonedUpdate(): Uint8Array {
  return poisonedPair().poisoned;
}
