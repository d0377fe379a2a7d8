import { BufferAttribute, BufferGeometry, Group, Mesh } from 'three';
import { describe, expect, it } from 'vitest';
import { MAX_MODEL_BYTES, MAX_MODEL_TRIANGLES } from '../../scene/model/limits.ts';
import { readCapped } from '../gltf/fetch-capped.ts';
import { checkedTriangles } from './model-loader.ts';

const MB = 1024 * 1024;

/** A response streaming `total` bytes in 1 MiB chunks, with or without a declared length. */
function streamed(total: number, declare: boolean): Response {
  const chunk = new Uint8Array(MB);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(MB, total - sent);
      sent += size;
      controller.enqueue(chunk.subarray(0, size));
    },
  });
  return new Response(body, declare ? { headers: { 'content-length': String(total) } } : {});
}

function modelWithTriangles(triangles: number): Group {
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(new Float32Array(9), 3));
  geometry.setIndex(new BufferAttribute(new Uint32Array(triangles * 3), 1));
  const root = new Group();
  root.add(new Mesh(geometry));
  return root;
}

describe('model limits', () => {
  it('[LIMIT3] a model file over 16 MB is refused, whether its size is declared or only streamed', async () => {
    expect(MAX_MODEL_BYTES).toBe(16 * MB);
    await expect(readCapped(streamed(17 * MB, true), '/big.glb', MAX_MODEL_BYTES)).rejects.toThrow(/LIMIT3/);
    await expect(readCapped(streamed(17 * MB, false), '/big.glb', MAX_MODEL_BYTES)).rejects.toThrow(/LIMIT3/);
    expect((await readCapped(streamed(2 * MB, false), '/small.glb', MAX_MODEL_BYTES)).byteLength).toBe(2 * MB);
  });

  it('[LIMIT3] a model over 500 000 triangles is refused', () => {
    expect(checkedTriangles(modelWithTriangles(MAX_MODEL_TRIANGLES), '/ok.glb')).toBe(500_000);
    expect(() => checkedTriangles(modelWithTriangles(MAX_MODEL_TRIANGLES + 1), '/big.glb')).toThrow(/LIMIT3/);
  });
});
