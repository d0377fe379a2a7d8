/**
 * Runs a scene event's handler (docs/scene-runtime.md INT1-INT9).
 *
 * @example
 *   const result = dispatchEvent({ current, script }, 'Lamp', 'click', { point: [0, 1, 0] });
 *   if (result.ok) applyEffects(room, result.effects); // everyone sees the change
 *
 *   INT1 a handler runs for its object (`this`); an event on an object without
 *        a handler for it goes to the nearest enclosing object or group that
 *        has one (`event.target` is the object acted on).
 *   INT4 a handler's changes apply together when it finishes, or not at all
 *        when it stops with a fault (budget, type error, ...).
 */

import type { ObjectId } from '../../core/ids.ts';
import type { JsonValue } from '../../sync/doc/object-state.ts';
import type { SceneEvent } from '../model/events.ts';
import { handlerOwner } from '../model/handler-table.ts';
import type { Span } from '../syntax/ast.ts';
import { Fault, type FaultCode } from './faults.ts';
import { Run, type RunOptions, type RuntimeWarning } from './run.ts';
import { fromJson, ObjectRef, RecordValue } from './values.ts';
import type { Effect, World } from './world.ts';

export type { Effect, World } from './world.ts';

export interface RuntimeError {
  code: FaultCode;
  message: string;
  span: Span | null;
}

export type DispatchResult =
  | { ok: true; handled: boolean; effects: Effect[]; warnings: RuntimeWarning[]; logs: string[]; steps: number }
  | { ok: false; error: RuntimeError; warnings: RuntimeWarning[]; steps: number };

export function dispatchEvent(
  world: World,
  objectId: ObjectId,
  event: SceneEvent,
  data: Readonly<Record<string, JsonValue>> = {},
  options: RunOptions = {},
): DispatchResult {
  const owner = handlerOwner(world.current, objectId, event);
  if (owner === undefined) return { ok: true, handled: false, effects: [], warnings: [], logs: [], steps: 0 };
  const node = world.current.byId.get(owner);
  const handler = node?.handlers.events.get(event);
  if (!handler) return { ok: true, handled: false, effects: [], warnings: [], logs: [], steps: 0 };
  const run = new Run(world, options);
  const eventValue = new RecordValue(new Map());
  for (const [key, value] of Object.entries(data)) eventValue.entries.set(key, fromJson(value));
  eventValue.entries.set('type', event);
  eventValue.entries.set('target', new ObjectRef(objectId));
  try {
    run.callHandler(handler, owner, [], eventValue, handler);
  } catch (error) {
    if (error instanceof Fault) {
      return {
        ok: false,
        error: { code: error.code, message: error.message, span: error.span ?? handler },
        warnings: run.warnings,
        steps: run.steps,
      };
    }
    // A JavaScript stack overflow in a pathological tree is a fault too, never a crash.
    if (error instanceof RangeError) {
      return {
        ok: false,
        error: { code: 'DEPTH', message: 'the handler is nested too deeply to run', span: handler },
        warnings: run.warnings,
        steps: run.steps,
      };
    }
    // Anything else is a bug in the interpreter: reported as a fault, so the page keeps running.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `the handler could not run: ${message}`, span: handler },
      warnings: run.warnings,
      steps: run.steps,
    };
  }
  return {
    ok: true,
    handled: true,
    effects: run.pending.effects,
    warnings: run.warnings,
    logs: run.logs,
    steps: run.steps,
  };
}
