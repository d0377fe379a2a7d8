import { describe, expect, it } from 'vitest';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import { defaultPhysics } from './physics-spec.ts';
import type { SceneModel, SceneNode } from './scene-model.ts';

function node(model: SceneModel, name: string): SceneNode {
  const found = [...model.byId.values()].find((n) => n.name === name);
  if (!found) throw new Error(`no node ${name}`);
  return found;
}

describe('@physics settings', () => {
  it('[PHYS1] @physics is supported: defaults, arguments, body, a physics record and flat properties, later winning', async () => {
    const model = await modelOf(`
      object "Plain" @physics { geometry: "box" }
      object "Args" @physics(mass: 2, friction: 0.9, restitution: 0.7, linear_damping: 0.3, angular_damping: 0.4) { geometry: "box" }
      object "Body" { geometry: "sphere"; @physics { mass: 5; bounciness: 0.5 } }
      object "Record" @physics { geometry: "box"; physics: { mass: 3, gravity_scale: 0 } }
      object "Flat" @physics(mass: 4) { geometry: "box"; mass: 9; friction: 0.1 }
      object "Kin" @physics(kinematic: true) { geometry: "box" }
      object "Fixed" @physics(mass: 0) { geometry: "box" }
      object "Typed" @physics(type: "static") { geometry: "box" }
      object "Floats" @physics(use_gravity: false) { geometry: "box" }
    `);
    expect(model.unsupported).not.toContain('@physics');
    expect(model.warnings).toEqual([]);
    expect(node(model, 'Plain').traits.physics).toEqual(defaultPhysics());
    expect(defaultPhysics()).toEqual({
      body: 'dynamic',
      mass: 1,
      friction: 0.5,
      restitution: 0.2,
      linearDamping: 0.05,
      angularDamping: 0.1,
      gravityScale: 1,
    });
    expect(node(model, 'Args').traits.physics).toMatchObject({
      mass: 2,
      friction: 0.9,
      restitution: 0.7,
      linearDamping: 0.3,
      angularDamping: 0.4,
    });
    expect(node(model, 'Body').traits.physics).toMatchObject({ mass: 5, restitution: 0.5 });
    expect(node(model, 'Record').traits.physics).toMatchObject({ mass: 3, gravityScale: 0 });
    // The trait's arguments win over the object's own settings.
    expect(node(model, 'Flat').traits.physics).toMatchObject({ mass: 4, friction: 0.1 });
    expect(node(model, 'Kin').traits.physics?.body).toBe('kinematic');
    expect(node(model, 'Fixed').traits.physics?.body).toBe('static');
    expect(node(model, 'Typed').traits.physics?.body).toBe('static');
    expect(node(model, 'Floats').traits.physics?.gravityScale).toBe(0);
  });

  it('[PHYS1][RT1] out-of-range values are clamped, wrong shapes and unknown settings warn and keep the default', async () => {
    const model = await modelOf(`
      object "A" @physics(mass: 1e9, friction: -1, restitution: "very", body_type: "wobbly", jelly: 2) { geometry: "box" }
      object "Light" @physics { type: "point_light" }
    `);
    const a = node(model, 'A').traits.physics;
    expect(a).toMatchObject({ mass: 10000, friction: 0, restitution: 0.2, body: 'dynamic' });
    const codes = model.warnings.map((w) => w.code).sort();
    expect(codes).toEqual(['BAD_VALUE', 'BAD_VALUE', 'UNSUPPORTED_PROPERTY', 'UNSUPPORTED_TRAIT']);
    // A light is no body.
    expect(node(model, 'Light').traits.physics).toBeNull();
  });

  it('[PHYS1] the environment sets gravity: a number pulls down, a vector is the acceleration', async () => {
    expect((await modelOf('environment { gravity: 3.7 }')).environment.gravity).toEqual([0, -3.7, 0]);
    expect((await modelOf('environment { gravity: [1, -2, 0] }')).environment.gravity).toEqual([1, -2, 0]);
    expect((await modelOf('object "A" { }')).environment.gravity).toEqual([0, -9.81, 0]);
  });
});
