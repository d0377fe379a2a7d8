// The committed demo assets are exactly what the generators make, and the
// model is a glTF three.js can load.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mesh } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { describe, expect, it } from 'vitest';
import { CLICK_PATH, clickWav, LANTERN_PATH, lanternGlb } from './demo-assets.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const committed = (file: string) => new Uint8Array(readFileSync(path.join(root, file)));

describe('demo assets', () => {
  it('public/scenes holds the generated files (regenerate with write-demo-assets.ts)', () => {
    expect(Buffer.from(committed(LANTERN_PATH)).equals(Buffer.from(lanternGlb()))).toBe(true);
    expect(Buffer.from(committed(CLICK_PATH)).equals(Buffer.from(clickWav()))).toBe(true);
  });

  it('the lantern parses with three.js GLTFLoader: five parts, emissive glass', async () => {
    const bytes = lanternGlb();
    const gltf = await new GLTFLoader().parseAsync(bytes.buffer as ArrayBuffer, '');
    const meshes: Mesh[] = [];
    gltf.scene.traverse((object) => {
      if ((object as Mesh).isMesh) meshes.push(object as Mesh);
    });
    expect(meshes).toHaveLength(5);
    const glass = meshes.find((mesh) => (mesh.material as { name: string }).name === 'glass');
    if (!glass) throw new Error('no glass part');
    expect((glass.material as unknown as { emissive: { r: number } }).emissive.r).toBeCloseTo(1);
  });
});
