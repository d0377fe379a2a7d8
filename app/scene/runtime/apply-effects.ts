/**
 * A handler's changes, written to the room document in one transaction
 * (INT4): everyone in the room sees them together, or none of them. Sounds
 * and log lines are local to the person whose action ran the handler (CMD5,
 * CMD10), so they go to callbacks instead.
 */

import type { RoomDoc } from '../../sync/doc/room-doc.ts';
import type { Effect } from '../interpreter/world.ts';
import { SPAWN_OF_PROP } from '../model/merge-state.ts';

export interface EffectSinks {
  sound?(url: string): void;
  log?(message: string): void;
}

/** Applies `effects`; returns the messages of writes the room document refused (e.g. CAP2). */
export function applyEffects(room: RoomDoc, effects: readonly Effect[], sinks: EffectSinks = {}): string[] {
  const refused: string[] = [];
  const check = (result: { ok: true } | { ok: false; error: string }) => {
    if (!result.ok) refused.push(result.error);
  };
  room.transact(() => {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'state':
          check(room.setStateValue(effect.id, effect.key, effect.value));
          break;
        case 'prop':
          check(room.setPropValue(effect.id, effect.key, effect.value));
          break;
        case 'transform':
          check(room.setTransform(effect.id, effect.transform));
          break;
        case 'reset':
        case 'remove':
          room.removeObjectState(effect.id);
          break;
        case 'spawn':
          check(room.setPropValue(effect.id, SPAWN_OF_PROP, effect.of));
          check(room.setTransform(effect.id, effect.transform));
          break;
        case 'sound':
        case 'log':
          break;
      }
    }
  });
  for (const effect of effects) {
    if (effect.kind === 'sound') sinks.sound?.(effect.url);
    else if (effect.kind === 'log') sinks.log?.(effect.message);
  }
  return refused;
}
