/**
 * Traits with a meaning in Holoroom (docs/scene-runtime.md TRAIT1-TRAIT8).
 * A trait's configuration is its named arguments and its `{ ... }` body,
 * folded to data; positional arguments are `0`, `1`, ... Unknown traits are
 * kept out of the model and reported as UNSUPPORTED_TRAIT warnings (RT1).
 */

import type { JsonValue } from '../../sync/doc/object-state.ts';
import type { Trait } from '../syntax/ast.ts';
import { traitWord } from '../syntax/vocabulary.ts';
import { parseColor } from './color.ts';
import { defaultPhysics } from './physics-spec.ts';
import type { AnimationKind, Traits } from './scene-model.ts';
import { staticValue } from './static-value.ts';

export type TraitConfig = Record<string, JsonValue>;

export function noTraits(): Traits {
  return {
    glowing: null,
    animated: null,
    clickable: false,
    hoverable: null,
    grabbable: false,
    networked: false,
    collidable: false,
    throwable: false,
    physics: null,
  };
}

/** The trait a name (as written, without `@`) means, or undefined for unsupported traits (TRAIT8). */
export function traitOf(name: string): keyof Traits | undefined {
  return traitWord(name)?.name as keyof Traits | undefined;
}

/** Named arguments, positional ones as `0`, `1`, ..., then the body's properties; bad values are skipped. */
export function traitConfig(trait: Trait, onBadValue: (message: string) => void): TraitConfig {
  const config: TraitConfig = Object.create(null);
  trait.args?.forEach((arg, index) => {
    const result = staticValue(arg.value);
    if (result.ok) config[arg.name ?? String(index)] = result.value;
    else onBadValue(`@${trait.name}(${arg.name ?? index}): ${result.message}`);
  });
  for (const property of trait.body?.properties ?? []) {
    const result = staticValue(property.value);
    if (result.ok) config[property.key] = result.value;
    else onBadValue(`@${trait.name} ${property.key}: ${result.message}`);
  }
  return config;
}

const num = (value: JsonValue | undefined, fallback: number, min: number, max: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;

const color = (value: JsonValue | undefined): string | null => parseColor(value)?.hex ?? null;

const ANIMATIONS: readonly AnimationKind[] = ['spin', 'bob', 'pulse', 'sway'];

function animationKind(name: string, config: TraitConfig): AnimationKind {
  const written = config.type ?? config.kind ?? config.animation ?? config.mode ?? config['0'];
  if (typeof written === 'string') {
    const lower = written.toLowerCase();
    const known = ANIMATIONS.find((kind) => lower === kind || lower === `${kind}ning` || lower === `${kind}bing`);
    if (known) return known;
    if (lower === 'rotate' || lower === 'rotating') return 'spin';
    if (lower === 'float' || lower === 'floating' || lower === 'hover') return 'bob';
  }
  if (name === 'floating' || name === 'bobbing') return 'bob';
  return 'spin';
}

/** Applies one known trait to `traits` (later traits of the same kind replace earlier ones). */
export function applyTrait(traits: Traits, name: string, config: TraitConfig): void {
  const kind = traitOf(name);
  switch (kind) {
    case 'glowing':
      traits.glowing = {
        color: color(config.color),
        intensity: num(config.intensity ?? config['0'], 1.5, 0, 20),
        pulse: num(config.pulse ?? config.speed, 1, 0, 10),
      };
      return;
    case 'animated': {
      const animation = animationKind(name, config);
      const axisValue = config.axis;
      const axis = axisValue === 'x' || axisValue === 'z' ? axisValue : 'y';
      const defaults = { spin: [45, 0], bob: [0.5, 0.1], pulse: [1, 0.1], sway: [0.5, 10] }[animation];
      traits.animated = {
        kind: animation,
        axis,
        // spin: degrees per second; bob, pulse, sway: cycles per second.
        speed: num(config.speed, defaults[0] as number, -3600, 3600),
        // bob: metres; pulse: fraction of the size; sway: degrees.
        amplitude: num(config.amplitude ?? config.height ?? config.range, defaults[1] as number, 0, 100),
      };
      return;
    }
    case 'hoverable':
      traits.hoverable = {
        scale: num(config.scale_on_hover ?? config.scale, 1.05, 0.1, 10),
        color: color(config.color_on_hover ?? config.highlight_color ?? config.color),
      };
      return;
    case 'physics':
      // The settings are read with the object's own (physics-spec.ts); here only on or off.
      traits.physics = config.enabled === false ? null : defaultPhysics();
      return;
    case 'clickable':
    case 'grabbable':
    case 'networked':
    case 'collidable':
    case 'throwable':
      traits[kind] = config.enabled !== false;
      return;
    case undefined:
      return;
  }
}

/** Turns a trait off (the `trait_<name>: false` override written by `toggle_trait`). */
export function clearTrait(traits: Traits, kind: keyof Traits): void {
  const empty = noTraits();
  (traits as unknown as Record<string, unknown>)[kind] = empty[kind];
}
