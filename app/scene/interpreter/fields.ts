/**
 * Fields in a handler body (scene-language.md SYN15): the data form of `on`
 * handlers, `on "tap" { action: "select" args: { id: "red" } }` (INT11).
 *
 * `action:` calls the method or scene action it names (INT7) with `args:`, the
 * sibling field in any order: a record binds to the action's parameters by
 * name, a list by position, any other value is the first argument. Other fields
 * (`bind:`, `format:`, `observe:`, `set:`) have no meaning in Holoroom: each
 * is skipped with one warning.
 */
import type { Property, Statement } from '../syntax/ast.ts';
import { Fault } from './faults.ts';
import type { Evaluator } from './scene-access.ts';
import { type Frame, RecordValue, type Value } from './values.ts';

export function runFields(run: Evaluator, field: Property, siblings: readonly Statement[], frame: Frame): void {
  switch (field.key) {
    case 'args':
      return;
    case 'action': {
      const name = run.eval(field.value, frame);
      if (typeof name !== 'string') throw new Fault('TYPE', '`action:` names an action, as a string', field);
      const argsField = siblings.find((s): s is Property => s.kind === 'Property' && s.key === 'args');
      const args = argsField ? run.eval(argsField.value, frame) : null;
      const method = run.findMethod(frame.self, name);
      if (!method) {
        run.warn(`there is no action \`${name}\` on this object, its groups or the scene; nothing runs`, field);
        return;
      }
      run.callHandler(method.handler, method.owner, bind(method.handler.params, args), frame.event, field);
      return;
    }
    default:
      run.warn(`\`${field.key}:\` in a handler has no meaning in Holoroom; it is skipped`, field);
  }
}

function bind(params: readonly string[], args: Value): Value[] {
  if (args === null) return [];
  if (Array.isArray(args)) return args;
  if (args instanceof RecordValue) return params.map((param) => args.entries.get(param) ?? null);
  return [args];
}
