/**
 * A rigid body's settings (docs/physics.md PHYS1) from everything a script may
 * write for them, later sources winning: flat properties on the object
 * (`mass: 2`), a `physics: { ... }` record, then the trait's own arguments and
 * body (`@physics(mass: 2) { friction: 0.9 }`). Names and ranges come from the
 * vocabulary (scope `physics`); a value of the wrong shape is BAD_VALUE and
 * keeps the default, a key that is not a physics setting is UNSUPPORTED_PROPERTY
 * (RT1).
 */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { propertyIn } from '../syntax/vocabulary.ts';
import type { BodyType, PhysicsSpec } from './scene-model.ts';
import { finiteNumber, readBoolean, within } from './vectors.ts';

export type PhysicsConfig = Record<string, JsonValue>;

/** Defaults chosen for things people pick up: a 1 kg block that slides a little and barely bounces. */
export function defaultPhysics(): PhysicsSpec {
  return {
    body: 'dynamic',
    mass: 1,
    friction: 0.5,
    restitution: 0.2,
    linearDamping: 0.05,
    angularDamping: 0.1,
    gravityScale: 1,
  };
}

const BODY_TYPES: Readonly<Record<string, BodyType>> = {
  dynamic: 'dynamic',
  rigid: 'dynamic',
  kinematic: 'kinematic',
  static: 'static',
  fixed: 'static',
};

type Report = (code: 'UNSUPPORTED_PROPERTY' | 'BAD_VALUE', message: string) => void;

/** Reads the merged settings of one body; `config` keys are as written. */
export function physicsSpec(config: PhysicsConfig, report: Report): PhysicsSpec {
  const spec = defaultPhysics();
  let massZero = false;
  // A `physics: { ... }` record inside the trait's settings is read like the settings around it.
  const entries: [string, JsonValue][] = [];
  for (const [key, value] of Object.entries(config)) {
    const record = propertyIn(['physics'], key)?.name === 'physics' && isRecord(value) ? value : undefined;
    if (record) entries.push(...Object.entries(record));
    else entries.push([key, value]);
  }
  for (const [key, value] of entries) {
    const property = propertyIn(['physics'], key);
    if (!property || property.name === 'physics') {
      // `enabled` belongs to every trait; `0`, `1`, ... are positional arguments, which @physics has none of.
      if (key !== 'enabled') report('UNSUPPORTED_PROPERTY', `\`${key}\` is not a @physics setting Holoroom uses.`);
      continue;
    }
    const n = finiteNumber(value);
    const bad = (expected: string) => report('BAD_VALUE', `@physics \`${key}\` needs ${expected}.`);
    switch (property.name) {
      case 'body_type': {
        const type = typeof value === 'string' ? BODY_TYPES[value.toLowerCase()] : undefined;
        if (type) spec.body = type;
        else bad('`dynamic`, `kinematic` or `static`');
        break;
      }
      case 'kinematic': {
        const b = readBoolean(value);
        if (b === undefined) bad('true or false');
        else if (b) spec.body = 'kinematic';
        break;
      }
      case 'use_gravity': {
        const b = readBoolean(value);
        if (b === undefined) bad('true or false');
        else spec.gravityScale = b ? 1 : 0;
        break;
      }
      case 'mass':
        if (n === undefined) bad('a number');
        else {
          spec.mass = within(property, n);
          massZero = spec.mass === 0;
        }
        break;
      case 'friction':
      case 'restitution':
        if (n === undefined) bad('a number');
        else spec[property.name] = within(property, n);
        break;
      case 'linear_damping':
      case 'angular_damping':
      case 'gravity_scale':
        if (n === undefined) bad('a number');
        else {
          const field =
            property.name === 'linear_damping'
              ? 'linearDamping'
              : property.name === 'angular_damping'
                ? 'angularDamping'
                : 'gravityScale';
          spec[field] = within(property, n);
        }
        break;
    }
  }
  // Mass 0 is how many engines spell "never moves".
  if (massZero && spec.body === 'dynamic') spec.body = 'static';
  if (spec.mass === 0) spec.mass = 1;
  return spec;
}

function isRecord(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
