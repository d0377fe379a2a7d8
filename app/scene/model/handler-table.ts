/**
 * Which handlers an object runs for which events, and which methods it has
 * (docs/scene-runtime.md EV1-EV6, INT7):
 *
 *   - handler blocks in every written form (SYN7): `on_click { }`,
 *     `onClick: { }`, `on_click(e) { }`, and the `on` forms (EV4);
 *   - a handler-named property holding a function is a handler too
 *     (`onClick: () => { ... }`, EV5);
 *   - the handlers of a `behavior { ... }` block inside the object are the
 *     object's (EV6); its other members are not used (one warning);
 *   - declared actions (`action select(id) { }`) are methods only, never
 *     events, whatever their name.
 */
import type { ObjectId } from '../../core/ids.ts';
import type { Block, Handler, Property, Span } from '../syntax/ast.ts';
import { isHandlerName, onFormEventOf, type SceneEvent, sceneEventOf } from './events.ts';
import type { HandlerTable, SceneModel, WarningCode } from './scene-model.ts';

export type Warn = (code: WarningCode, message: string, span: Span) => void;

/** `behavior { ... }` (also `behaviour`, `behaviors`): a block of handlers (EV6). */
export function isBehaviorBlock(block: Block): boolean {
  return block.kind === 'UnknownBlock' && /^behaviou?rs?$/.test(block.keyword);
}

/** An object's handlers: its own, its function-valued handler properties, its behavior blocks'. */
export function collectHandlers(
  handlers: readonly Handler[],
  properties: readonly Property[],
  children: readonly Block[],
  warn: Warn,
): Handler[] {
  const out = [...handlers];
  for (const property of properties) {
    const value = property.value;
    if (isHandlerName(property.key) && value.kind === 'Function') {
      out.push({
        kind: 'Handler',
        from: property.from,
        to: property.to,
        name: property.key,
        form: 'colon',
        source: null,
        params: value.params,
        body: value.body,
      });
    }
  }
  for (const child of children) {
    if (!isBehaviorBlock(child)) continue;
    out.push(...child.handlers);
    const unused = child.properties.length + child.traits.length + child.children.length + child.calls.length;
    if (unused > 0) {
      warn('UNSUPPORTED_BLOCK', `Only the handlers inside \`${child.keyword}\` are used.`, child);
    }
  }
  return out;
}

export function handlerTable(handlers: readonly Handler[], warn: Warn): HandlerTable {
  const events = new Map<string, Handler>();
  const methods = new Map<string, Handler>();
  for (const handler of handlers) {
    switch (handler.form) {
      case 'action':
        methods.set(handler.name, handler);
        continue;
      case 'callback':
        continue;
      case 'on': {
        const event = onFormEventOf(handler.name);
        if (handler.source !== null) {
          warn(
            'UNSUPPORTED_HANDLER',
            `Events from other objects (\`on(source, "${handler.name}")\`) are not fired in Holoroom.`,
            handler,
          );
        } else if (event) events.set(event, handler);
        else {
          warn(
            'UNSUPPORTED_HANDLER',
            `"${handler.name}" is not an event Holoroom fires (it runs on click, hover enter/exit, grab, release).`,
            handler,
          );
        }
        continue;
      }
    }
    methods.set(handler.name, handler);
    const event = sceneEventOf(handler.name);
    if (event) events.set(event, handler);
    else if (isHandlerName(handler.name)) {
      warn(
        'UNSUPPORTED_HANDLER',
        `\`${handler.name}\` is not an event Holoroom fires (it runs on click, hover enter/exit, grab, release); it can still be called as a method.`,
        handler,
      );
    }
  }
  return { events, methods };
}

/**
 * The object whose handler answers `event` on `objectId` (scene-runtime.md INT1: the object itself,
 * else the nearest enclosing object or group with one), or undefined.
 */
export function handlerOwner(model: SceneModel, objectId: ObjectId, event: SceneEvent): ObjectId | undefined {
  let id: ObjectId | undefined = objectId;
  for (let hops = 0; id !== undefined && hops < 64; hops++) {
    if (model.byId.get(id)?.handlers.events.has(event)) return id;
    id = model.parentOf.get(id);
  }
  return undefined;
}

/** Whether any node of `model` has a handler for an event Holoroom fires. */
export function hasEventHandlers(model: SceneModel): boolean {
  for (const node of model.byId.values()) if (node.handlers.events.size > 0) return true;
  return false;
}
