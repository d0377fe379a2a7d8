import {
  BoxGeometry,
  DirectionalLight,
  Group,
  InstancedMesh,
  Matrix4,
  Mesh,
  MeshStandardMaterial,
  Scene,
  type WebGLRenderer,
} from 'three';
import { describe, expect, it } from 'vitest';
import { cacheShadows, SHADOW_REFRESH_MS, ShadowCasters } from './shadow-cache.ts';

/** A scene with a casting sun, a casting box in a group and a box that casts nothing. */
function room() {
  const scene = new Scene();
  const sun = new DirectionalLight();
  sun.castShadow = true;
  const group = new Group();
  const caster = new Mesh(new BoxGeometry(), new MeshStandardMaterial());
  caster.castShadow = true;
  const other = new Mesh(new BoxGeometry(), new MeshStandardMaterial());
  group.add(caster);
  scene.add(sun, group, other);
  scene.updateMatrixWorld();
  const casters = new ShadowCasters();
  const changedNow = () => {
    scene.updateMatrixWorld();
    return casters.changed(scene);
  };
  expect(changedNow()).toBe(true);
  return { scene, sun, group, caster, other, changedNow };
}

describe('ShadowCasters (DRAW3)', () => {
  it('[DRAW3] sees no change in a still scene, nor when only what casts nothing moves', () => {
    const { other, changedNow } = room();
    expect(changedNow()).toBe(false);
    other.position.x = 3;
    expect(changedNow()).toBe(false);
  });

  it('[DRAW3] sees a caster moved, also through its parent, and a casting light moved', () => {
    const { caster, group, sun, changedNow } = room();
    caster.position.y = 1;
    expect(changedNow()).toBe(true);
    expect(changedNow()).toBe(false);
    group.rotation.y = 0.5;
    expect(changedNow()).toBe(true);
    sun.position.set(4, 9, 1);
    expect(changedNow()).toBe(true);
    sun.shadow.camera.left = -20;
    expect(changedNow()).toBe(true);
    expect(changedNow()).toBe(false);
  });

  it('[DRAW3] sees casters appear, disappear and turn invisible, and a material or geometry swapped', () => {
    const { scene, caster, group, changedNow } = room();
    const added = new Mesh(new BoxGeometry(), new MeshStandardMaterial());
    added.castShadow = true;
    scene.add(added);
    expect(changedNow()).toBe(true);
    group.visible = false;
    expect(changedNow()).toBe(true);
    group.visible = true;
    expect(changedNow()).toBe(true);
    caster.material = new MeshStandardMaterial();
    expect(changedNow()).toBe(true);
    caster.geometry = new BoxGeometry(2, 2, 2);
    expect(changedNow()).toBe(true);
    caster.castShadow = false;
    expect(changedNow()).toBe(true);
    expect(changedNow()).toBe(false);
  });

  it("[DRAW3] sees an instanced caster's instances move or change in number", () => {
    const { scene, changedNow } = room();
    const batch = new InstancedMesh(new BoxGeometry(), new MeshStandardMaterial(), 8);
    batch.castShadow = true;
    batch.count = 2;
    scene.add(batch);
    expect(changedNow()).toBe(true);
    batch.setMatrixAt(1, new Matrix4().makeTranslation(1, 0, 0));
    batch.instanceMatrix.needsUpdate = true;
    expect(changedNow()).toBe(true);
    batch.count = 3;
    expect(changedNow()).toBe(true);
    expect(changedNow()).toBe(false);
  });

  /** A renderer's shadow settings, `cacheShadows` on it, and a frame that says whether the maps were asked for. */
  function cachedFrames(frameMs: number) {
    const { scene, caster } = room();
    const shadowMap = { enabled: true, autoUpdate: true, needsUpdate: false };
    const renderer = { shadowMap, domElement: new EventTarget() } as unknown as WebGLRenderer;
    const counted = { draws: 0 };
    let time = 0;
    const undo = cacheShadows(renderer, scene, { onDraw: () => counted.draws++, now: () => time });
    const frame = () => {
      time += frameMs;
      scene.updateMatrixWorld();
      scene.onBeforeRender(renderer, scene, caster as never, caster.geometry, caster.material as never, null as never);
      const asked = shadowMap.needsUpdate;
      shadowMap.needsUpdate = false; // as three does after drawing them
      return asked;
    };
    return { caster, shadowMap, renderer, counted, undo, frame };
  }

  it('[DRAW3] cacheShadows asks three for the maps only in frames with a change, and undoes itself', () => {
    const { caster, shadowMap, renderer, counted, undo, frame } = cachedFrames(100);
    expect(shadowMap.autoUpdate).toBe(false);
    expect(frame()).toBe(true);
    expect(frame()).toBe(false);
    caster.position.z = 2;
    expect(frame()).toBe(true);
    expect(frame()).toBe(false);
    renderer.domElement.dispatchEvent(new Event('webglcontextrestored'));
    expect(frame()).toBe(true);
    shadowMap.enabled = false;
    expect(frame()).toBe(false);
    shadowMap.enabled = true;
    expect(frame()).toBe(true);
    expect(counted.draws).toBe(4);
    undo();
    expect(shadowMap.autoUpdate).toBe(true);
  });

  it('[DRAW8] a caster that moves in every frame has its shadow drawn at most once every SHADOW_REFRESH_MS, and its last move is drawn', () => {
    const { caster, counted, frame } = cachedFrames(1000 / 60);
    frame();
    counted.draws = 0;
    const asked: boolean[] = [];
    for (let i = 1; i <= 60; i++) {
      caster.position.y = i * 0.01;
      asked.push(frame());
    }
    // One second of frames at 60 Hz: every third frame draws the maps, 20 in all, none two frames apart.
    expect(SHADOW_REFRESH_MS).toBeLessThanOrEqual(3 * (1000 / 60));
    expect(counted.draws).toBe(20);
    for (let i = 1; i < asked.length; i++) expect(asked[i] && asked[i - 1]).toBe(false);
    // It stops; the move of the last frame, not yet drawn, is drawn once the interval has passed.
    const afterStop = [frame(), frame(), frame(), frame()];
    expect(afterStop.filter(Boolean)).toHaveLength(asked.at(-1) ? 0 : 1);
    expect(frame()).toBe(false);
  });
});
