/**
 * Templates and `using` (docs/scene-runtime.md TPL1-TPL4).
 *
 *   TPL1 `template "T" { ... }` anywhere in the script defines T for the whole
 *        script; a later template with the same name replaces the earlier one
 *        (with a DUPLICATE_NAME warning). Templates are never drawn.
 *   TPL2 `object "X" using "T" { ... }` is T's members followed by X's own, so
 *        X's properties, traits, handlers and state entries override T's by
 *        name, and material fields merge one by one.
 *   TPL3 T's child blocks are X's children too (ids under X); a child of X with
 *        the same keyword and name as one of T's replaces it in place.
 *   TPL4 a template may itself use a template, up to MAX_TEMPLATE_DEPTH deep;
 *        a cycle or an unknown name is a warning and the chain stops there.
 */
import type { Block, Body, Handler, Property, Span, Trait } from '../syntax/ast.ts';
import { MAX_TEMPLATE_DEPTH } from './limits.ts';

/** A block's members after templates are applied, in application order. */
export interface FlatBody {
  properties: Property[];
  traits: Trait[];
  handlers: Handler[];
  children: Block[];
}

export type TemplateWarning = { code: 'UNKNOWN_TEMPLATE' | 'TEMPLATE_CYCLE' | 'LIMIT'; message: string } & Span;

export class TemplateRegistry {
  private readonly templates = new Map<string, Block>();

  /** Registers every template of the tree (TPL1); returns the names defined twice. */
  collect(body: Body, onDuplicate: (block: Block) => void): void {
    for (const child of body.children) {
      if (child.kind === 'Template' && child.name !== null) {
        if (this.templates.has(child.name)) onDuplicate(child);
        this.templates.set(child.name, child);
      }
      this.collect(child, onDuplicate);
    }
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  get(name: string): Block | undefined {
    return this.templates.get(name);
  }

  names(): string[] {
    return [...this.templates.keys()];
  }

  /** The block's members with its template chain applied (TPL2-TPL4). */
  flatten(block: Block, onWarning: (warning: TemplateWarning) => void): FlatBody {
    const chain: Block[] = [block];
    const seen = new Set<Block>([block]);
    let current = block;
    while (current.using !== null) {
      const template = this.templates.get(current.using);
      const at = { from: current.from, to: current.to };
      if (!template) {
        onWarning({ code: 'UNKNOWN_TEMPLATE', message: `There is no template "${current.using}".`, ...at });
        break;
      }
      if (seen.has(template)) {
        onWarning({ code: 'TEMPLATE_CYCLE', message: `Template "${current.using}" uses itself.`, ...at });
        break;
      }
      if (chain.length > MAX_TEMPLATE_DEPTH) {
        onWarning({
          code: 'LIMIT',
          message: `Templates using templates stop after ${MAX_TEMPLATE_DEPTH} levels (LIMIT5).`,
          ...at,
        });
        break;
      }
      seen.add(template);
      chain.push(template);
      current = template;
    }
    const flat: FlatBody = { properties: [], traits: [], handlers: [], children: [] };
    // Deepest template first, the block itself last: later members win.
    for (let i = chain.length - 1; i >= 0; i--) {
      const member = chain[i] as Block;
      flat.properties.push(...member.properties);
      flat.traits.push(...member.traits);
      flat.handlers.push(...member.handlers);
      mergeChildren(flat.children, member.children);
    }
    return flat;
  }
}

/** TPL3: a child with the same keyword and name replaces the inherited one in place. */
function mergeChildren(into: Block[], children: readonly Block[]): void {
  for (const child of children) {
    if (child.kind === 'Template') continue;
    const index =
      child.name === null
        ? -1
        : into.findIndex((other) => other.name === child.name && other.keyword === child.keyword);
    if (index >= 0) into[index] = child;
    else into.push(child);
  }
}
