/**
 * Command lines in handlers (docs/scene-runtime.md CMD1-CMD12): a name and
 * space-separated arguments, as people write them in real scene files. An
 * unknown command is a warning and does nothing (CMD12); it never stops the
 * handler.
 */

import { type ObjectId, objectId } from '../../core/ids.ts';
import type { Transform } from '../../sync/doc/object-state.ts';
import { MAX_SPAWNED } from '../model/limits.ts';
import { TOGGLEABLE_TRAITS, traitPropKey } from '../model/live-props.ts';
import { SPAWN_ID_PREFIX } from '../model/object-ids.ts';
import { own } from '../model/own.ts';
import type { Traits } from '../model/scene-model.ts';
import type { Command, Expression, Span } from '../syntax/ast.ts';
import { commandOf } from '../syntax/command-words.ts';
import { Fault } from './faults.ts';
import type { SceneAccess } from './scene-access.ts';
import type { Frame } from './values.ts';
import { display, ObjectRef, truthy, type Value } from './values.ts';
import type { Pending, World } from './world.ts';

/** What commands use of the run they belong to (run.ts). */
export interface CommandHost {
  readonly world: World;
  readonly pending: Pending;
  readonly scene: SceneAccess;
  readonly options: { spawnId?: () => string };
  eval(expression: Expression, frame: Frame): Value;
  arithmetic(op: string, left: Value, right: Value, span: Span): Value;
  checkWrites(span: Span): void;
  warn(message: string, span: Span): void;
  sound(url: string, span: Span): void;
  log(text: string): void;
}

type Run = CommandHost;
type CommandFn = (run: Run, command: Command, frame: Frame) => void;

/** A name written bare (`hide Lamp`) or quoted (`hide "Lamp"`), or an expression giving an object. */
function objectArg(run: Run, arg: Expression | undefined, frame: Frame, span: Span): ObjectId | undefined {
  if (arg === undefined) return frame.self;
  let found: ObjectRef | null = null;
  if (arg.kind === 'Identifier' || arg.kind === 'String') {
    const name = arg.kind === 'Identifier' ? arg.name : arg.value;
    found = name === 'this' ? new ObjectRef(frame.self) : run.scene.findObject(name);
    if (!found) run.warn(`there is no object named "${name}"`, span);
  } else {
    const value = run.eval(arg, frame);
    if (value instanceof ObjectRef) found = value;
    else run.warn(`${display(value)} is not an object`, span);
  }
  return found?.id;
}

/** A name written bare or quoted (`spawn Cube`, `toggle_trait "glowing"`). */
function nameArg(run: Run, arg: Expression | undefined, frame: Frame): string | undefined {
  if (arg?.kind === 'Identifier') return arg.name;
  if (arg === undefined) return undefined;
  const value = run.eval(arg, frame);
  return typeof value === 'string' ? value : undefined;
}

function numberArg(run: Run, args: readonly Expression[], frame: Frame, fallback: number): number {
  const rest = args[0]?.kind === 'Identifier' && args[0].name === 'by' ? args.slice(1) : args;
  if (rest.length === 0) return fallback;
  const value = run.eval(rest[0] as Expression, frame);
  if (typeof value !== 'number') throw new Fault('TYPE', `needs a number, not ${display(value)}`, rest[0]);
  return value;
}

/** CMD2/CMD3: `increment presses [by] [2]`, `decrement lives`. */
function step(sign: 1 | -1): CommandFn {
  return (run, command, frame) => {
    const [target, ...rest] = command.args;
    if (!target) throw new Fault('TYPE', `\`${command.name}\` needs a name`, command);
    const place = run.scene.place(target, frame);
    const current = run.scene.read(place, command);
    const by = numberArg(run, rest, frame, 1);
    run.scene.write(place, run.arithmetic('+', current ?? 0, sign * by, command), command);
  };
}

const AXIS_VECTORS: Readonly<Record<string, [number, number, number]>> = { x: [1, 0, 0], y: [0, 1, 0], z: [0, 0, 1] };

/** CMD9: `move y 0.5`, `move [0, 1, 0]`; `rotate y 45`. */
function nudge(field: 'position' | 'rotation'): CommandFn {
  return (run, command, frame) => {
    const [first, ...rest] = command.args;
    let delta: [number, number, number];
    const axis = first?.kind === 'Identifier' ? own(AXIS_VECTORS, first.name) : undefined;
    if (axis) {
      const amount = numberArg(run, rest, frame, field === 'rotation' ? 90 : 1);
      delta = axis.map((n) => n * amount) as [number, number, number];
    } else if (first) {
      delta = run.scene.vector(run.eval(first, frame), false, command);
    } else throw new Fault('TYPE', `\`${command.name}\` needs an axis and an amount, or [x, y, z]`, command);
    run.checkWrites(command);
    const transform = run.scene.transformOf(frame.self, command);
    const next: Transform = {
      position: [...transform.position],
      rotation: [...transform.rotation],
      scale: [...transform.scale],
    };
    next[field] = next[field].map((n, i) => n + (delta[i] as number)) as [number, number, number];
    run.pending.setTransform(frame.self, next);
  };
}

function traitCommand(mode: 'toggle' | 'on' | 'off'): CommandFn {
  return (run, command, frame) => {
    const name = nameArg(run, command.args[0], frame)?.replace(/^@/, '');
    if (!name || !TOGGLEABLE_TRAITS.includes(name as keyof Traits)) {
      run.warn(`\`${command.name}\` works on ${TOGGLEABLE_TRAITS.join(', ')}`, command);
      return;
    }
    const id = objectArg(run, command.args[1], frame, command);
    if (id === undefined) return;
    run.checkWrites(command);
    const key = traitPropKey(name as keyof Traits);
    const current = run.pending.readProp(id, key) === true;
    run.pending.setProp(id, key, mode === 'toggle' ? !current : mode === 'on');
  };
}

function visibility(visible: boolean): CommandFn {
  return (run, command, frame) => {
    const id = objectArg(run, command.args[0], frame, command);
    if (id === undefined) return;
    run.checkWrites(command);
    run.scene.node(id, command);
    run.pending.setProp(id, 'visible', visible);
  };
}

let spawnCounter = 0;

function randomSpawnId(): string {
  spawnCounter = (spawnCounter + 1) % 1_000_000;
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}${spawnCounter.toString(36)}`;
}

const COMMANDS: Readonly<Record<string, CommandFn>> = {
  // CMD1: `set target value`, as `target = value` (a bare name is the object's state).
  set(run, command, frame) {
    const [target, valueExpression] = command.args;
    if (!target || !valueExpression || command.args.length > 2) {
      throw new Fault('TYPE', '`set` needs a name and a value: `set lit true`', command);
    }
    run.scene.write(run.scene.place(target, frame), run.eval(valueExpression, frame), command);
  },
  increment: step(1),
  inc: step(1),
  decrement: step(-1),
  dec: step(-1),
  // CMD4: `toggle lit` flips a true/false value.
  toggle(run, command, frame) {
    const [target] = command.args;
    if (!target) throw new Fault('TYPE', '`toggle` needs a name', command);
    const place = run.scene.place(target, frame);
    run.scene.write(place, !truthy(run.scene.read(place, command)), command);
  },
  // CMD5: sounds play for the person whose action ran the handler.
  play_audio(run, command, frame) {
    const url = nameArg(run, command.args[0], frame);
    if (url) run.sound(url, command);
    else run.warn('`play_audio` needs a file name', command);
  },
  // CMD6: `spawn "Name" [at [x, y, z]]` copies a template or named object into the room.
  spawn(run, command, frame) {
    const name = nameArg(run, command.args[0], frame);
    const prototype = name === undefined ? undefined : run.world.current.spawnables.get(name);
    if (!name || !prototype) {
      run.warn(`\`spawn\` needs the name of a template or object${name ? `; "${name}" is neither` : ''}`, command);
      return;
    }
    const existing = [...run.world.current.byId.keys()].filter(
      (id) => id.startsWith(SPAWN_ID_PREFIX) && !id.slice(SPAWN_ID_PREFIX.length).includes('/'),
    ).length;
    if (existing + run.pending.spawned >= MAX_SPAWNED) {
      run.warn(`the room already has ${MAX_SPAWNED} spawned objects (LIMIT6)`, command);
      return;
    }
    const atIndex = command.args.findIndex((arg) => arg.kind === 'Identifier' && arg.name === 'at');
    const position =
      atIndex >= 0 && command.args[atIndex + 1]
        ? run.scene.vector(run.eval(command.args[atIndex + 1] as Expression, frame), false, command)
        : ([...prototype.transform.position] as [number, number, number]);
    run.checkWrites(command);
    const id = objectId(`${SPAWN_ID_PREFIX}${(run.options.spawnId ?? randomSpawnId)()}`);
    run.pending.spawn(id, name, {
      position,
      rotation: [...prototype.transform.rotation],
      scale: [...prototype.transform.scale],
    });
  },
  // CMD7: `destroy` removes a spawned object; a scene object is hidden (reset shows it again).
  destroy(run, command, frame) {
    const id = objectArg(run, command.args[0], frame, command);
    if (id === undefined) return;
    run.checkWrites(command);
    const node = run.scene.node(id, command);
    if (node.spawned && id.startsWith(SPAWN_ID_PREFIX)) run.pending.remove(id);
    else run.pending.setProp(id, 'visible', false);
  },
  hide: visibility(false),
  show: visibility(true),
  toggle_trait: traitCommand('toggle'),
  enable_trait: traitCommand('on'),
  disable_trait: traitCommand('off'),
  // CMD8: `reset [name]` forgets an object's room state: script values again.
  reset(run, command, frame) {
    const id = objectArg(run, command.args[0], frame, command);
    if (id === undefined) return;
    run.checkWrites(command);
    run.scene.node(id, command);
    run.pending.reset(id);
  },
  move: nudge('position'),
  rotate: nudge('rotation'),
  // CMD10: `log "text" value ...` writes to the browser console of the person who acted.
  log(run, command, frame) {
    run.log(command.args.map((arg) => display(run.eval(arg, frame))).join(' '));
  },
};

export function runCommand(run: Run, command: Command, frame: Frame): void {
  const name = commandOf(command.name)?.name;
  const fn = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!fn) {
    run.warn(`\`${command.name}\` is not a command Holoroom runs; it does nothing`, command);
    return;
  }
  fn(run, command, frame);
}
