import { BoxGeometry, Group, type InstancedMesh, Mesh, PerspectiveCamera, Scene } from 'three';
import { describe, expect, it } from 'vitest';
import { type BatchLook, LOW_DETAIL_PIXELS, MeshBatches, proxyMaterial } from './mesh-batches.ts';
import { lowDetailGeometry, primitiveGeometry } from './primitive-geometry.ts';

const LOOK: Omit<BatchLook, 'primitive'> = {
  roughness: 0.5,
  metalness: 0,
  wireframe: false,
  side: 0,
  castShadow: true,
  receiveShadow: true,
};
const HEIGHT = 600;

/** A scene with batches, a camera at the origin looking down -z, and a way to add proxies. */
function setup() {
  const scene = new Scene();
  const batches = new MeshBatches({ full: primitiveGeometry, low: lowDetailGeometry });
  const nodes = new Group();
  scene.add(batches.root, nodes);
  const camera = new PerspectiveCamera(60, 1, 0.1, 100);
  scene.add(camera);
  const add = (primitive: BatchLook['primitive'], x: number, y: number, z: number, color = '#ff0000') => {
    const proxy = new Mesh(primitiveGeometry(primitive), proxyMaterial(0));
    proxy.position.set(x, y, z);
    nodes.add(proxy);
    const member = batches.add(proxy, { ...LOOK, primitive });
    member.setColors(color, '#000000', 0);
    return { proxy, member };
  };
  const frame = () => {
    scene.updateMatrixWorld();
    camera.updateMatrixWorld();
    batches.sync(camera, HEIGHT);
  };
  const meshes = () => batches.root.children as InstancedMesh[];
  /** Instances each mesh draws in the main pass and in a shadow map. */
  const counts = () =>
    meshes().map((mesh) => {
      mesh.onBeforeRender(null as never, scene, camera, mesh.geometry, mesh.material as never, null as never);
      const main = mesh.count;
      mesh.onBeforeShadow(null as never, scene, camera, camera, mesh.geometry, mesh.material as never, null as never);
      return { main, shadow: mesh.count };
    });
  return { scene, batches, nodes, camera, add, frame, meshes, counts };
}

describe('MeshBatches (DRAW2)', () => {
  it('[DRAW2] draws objects of one look as instances of one mesh, at their world matrices and in their colours', () => {
    const { add, frame, meshes, counts } = setup();
    const a = add('box', 0, 0, -5, '#ff0000');
    const b = add('box', 1, 0, -5, '#00ff00');
    frame();
    expect(meshes()).toHaveLength(1);
    const mesh = meshes()[0] as InstancedMesh;
    expect(counts()).toEqual([{ main: 2, shadow: 2 }]);
    expect([...mesh.instanceMatrix.array.slice(0, 16)]).toEqual([...a.proxy.matrixWorld.elements]);
    expect([...mesh.instanceMatrix.array.slice(16, 32)]).toEqual([...b.proxy.matrixWorld.elements]);
    expect([...(mesh.instanceColor?.array.slice(0, 6) ?? [])]).toEqual([1, 0, 0, 0, 1, 0]);
    // Moved, then drawn where it is now.
    b.proxy.position.y = 2;
    frame();
    expect(mesh.instanceMatrix.array[16 + 13]).toBe(2);
  });

  it('[DRAW2] a glow writes the instance emissive colour times intensity; another look is another batch', () => {
    const { add, frame, meshes } = setup();
    const a = add('box', 0, 0, -5);
    a.member.setColors('#ff0000', '#ffffff', 0.5);
    add('box', 0, 0, -6);
    frame();
    const emissive = (meshes()[0] as InstancedMesh).geometry.getAttribute('instanceEmissive');
    expect([emissive.getX(0), emissive.getY(0), emissive.getZ(0)]).toEqual([0.5, 0.5, 0.5]);
    a.member.emissiveIntensity = 0.25;
    frame();
    expect(emissive.getX(0)).toBe(0.25);
    expect(emissive.getX(1)).toBe(0);
    add('cylinder', 0, 0, -4);
    frame();
    // The cylinder's batch: full detail and low detail.
    expect(meshes()).toHaveLength(3);
  });

  it('[DRAW2] the main pass draws the instances in view, a shadow map every shown one; hidden and removed ones neither', () => {
    const { add, frame, counts, nodes } = setup();
    add('box', 0, 0, -5);
    const behind = add('box', 0, 0, 5);
    frame();
    expect(counts()).toEqual([{ main: 1, shadow: 2 }]);
    nodes.visible = false;
    frame();
    expect(counts()).toEqual([{ main: 0, shadow: 0 }]);
    nodes.visible = true;
    behind.member.remove();
    frame();
    expect(counts()).toEqual([{ main: 1, shadow: 1 }]);
  });

  it('[DRAW2] grows past its first capacity and keeps every instance', () => {
    const { add, frame, counts } = setup();
    for (let i = 0; i < 40; i++) add('box', (i % 8) - 4, Math.floor(i / 8) - 2, -20);
    frame();
    expect(counts()).toEqual([{ main: 40, shadow: 40 }]);
  });

  it('[DRAW3] tells shadow maps of a move, not of a new order when the camera turns', () => {
    const { add, frame, meshes, camera } = setup();
    add('box', 0, 0, -5);
    const side = add('box', 5, 0, 0);
    frame();
    const mesh = meshes()[0] as InstancedMesh;
    const version = () => mesh.userData.shadowVersion as number;
    const before = version();
    camera.rotation.y = -Math.PI / 2; // now the side box is in view, the other is not: a new order
    frame();
    expect(version()).toBe(before);
    side.proxy.position.z = 1;
    frame();
    expect(version()).toBeGreaterThan(before);
  });
});

describe('MeshBatches (DRAW4)', () => {
  it('[DRAW4] an object small on the screen is drawn in low detail, a near one in full detail; both cast shadows in full', () => {
    const { add, frame, counts, meshes } = setup();
    // A 1 m sphere spans 0.5 * P[5] * HEIGHT / 2 / d pixels of radius at distance d.
    const far = (0.5 * (1 / Math.tan(Math.PI / 6)) * HEIGHT) / 2 / LOW_DETAIL_PIXELS + 5;
    add('sphere', 0, 0, -3);
    add('sphere', 0, 0, -far);
    frame();
    const [full, low] = meshes() as [InstancedMesh, InstancedMesh];
    expect(full.geometry.getAttribute('position').count).toBeGreaterThan(low.geometry.getAttribute('position').count);
    expect(counts()).toEqual([
      { main: 1, shadow: 2 },
      { main: 1, shadow: 0 },
    ]);
  });

  it('[DRAW4] primitives without curved sides have no low-detail mesh', () => {
    const { add, frame, meshes } = setup();
    add('box', 0, 0, -90);
    frame();
    expect(meshes()).toHaveLength(1);
    expect(new BoxGeometry().getAttribute('position').count).toBe(
      (meshes()[0] as InstancedMesh).geometry.getAttribute('position').count,
    );
  });
});
