/**
 * A small binary glTF 2.0 (.glb) writer for the demo scenes' own models:
 * flat-shaded parts (boxes and pyramids), one PBR material each. Written by
 * the project so the demo model has a known source and no download
 * (public/scenes/models/, checked by demo-assets.test.ts).
 *
 * Layout (glTF 2.0 spec, "GLB File Format"): 12-byte header (magic "glTF",
 * version 2, total length), a JSON chunk (padded with spaces to 4 bytes),
 * a BIN chunk (padded with zeros), little-endian throughout.
 */

export interface Part {
  name: string;
  /** Triangles as a flat list of positions (x, y, z per corner, three corners per triangle). */
  triangles: number[];
  color: [number, number, number];
  metallic: number;
  roughness: number;
  emissive?: [number, number, number];
}

type V3 = [number, number, number];

function sub(a: V3, b: V3): V3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function cross(a: V3, b: V3): V3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function unit(v: V3): V3 {
  const length = Math.hypot(...v) || 1;
  return [v[0] / length, v[1] / length, v[2] / length];
}

/** An axis-aligned box centred at `c` with size `s` (12 triangles, outward winding). */
export function box(c: V3, s: V3): number[] {
  const [x0, y0, z0] = [c[0] - s[0] / 2, c[1] - s[1] / 2, c[2] - s[2] / 2];
  const [x1, y1, z1] = [c[0] + s[0] / 2, c[1] + s[1] / 2, c[2] + s[2] / 2];
  const quads: V3[][] = [
    [
      [x1, y0, z0],
      [x1, y1, z0],
      [x1, y1, z1],
      [x1, y0, z1],
    ], // +x
    [
      [x0, y0, z1],
      [x0, y1, z1],
      [x0, y1, z0],
      [x0, y0, z0],
    ], // -x
    [
      [x0, y1, z1],
      [x1, y1, z1],
      [x1, y1, z0],
      [x0, y1, z0],
    ], // +y
    [
      [x0, y0, z0],
      [x1, y0, z0],
      [x1, y0, z1],
      [x0, y0, z1],
    ], // -y
    [
      [x0, y0, z1],
      [x1, y0, z1],
      [x1, y1, z1],
      [x0, y1, z1],
    ], // +z
    [
      [x1, y0, z0],
      [x0, y0, z0],
      [x0, y1, z0],
      [x1, y1, z0],
    ], // -z
  ];
  return quads.flatMap(([a, b, cc, d]) => [
    ...(a as V3),
    ...(b as V3),
    ...(cc as V3),
    ...(a as V3),
    ...(cc as V3),
    ...(d as V3),
  ]);
}

/** A square pyramid standing on `base` (its centre) with half-width `r` and height `h`. */
export function pyramid(base: V3, r: number, h: number): number[] {
  const apex: V3 = [base[0], base[1] + h, base[2]];
  const corners: V3[] = [
    [base[0] - r, base[1], base[2] - r],
    [base[0] + r, base[1], base[2] - r],
    [base[0] + r, base[1], base[2] + r],
    [base[0] - r, base[1], base[2] + r],
  ];
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    const a = corners[i] as V3;
    const b = corners[(i + 1) % 4] as V3;
    out.push(...b, ...a, ...apex);
  }
  const [c0, c1, c2, c3] = corners as [V3, V3, V3, V3];
  out.push(...c0, ...c1, ...c2, ...c0, ...c2, ...c3);
  return out;
}

function padTo4(bytes: Uint8Array, fill: number): Uint8Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4).fill(fill);
  padded.set(bytes);
  return padded;
}

export function writeGlb(parts: readonly Part[], generator: string): Uint8Array {
  const bin: number[][] = [];
  const bufferViews: object[] = [];
  const accessors: object[] = [];
  const primitives: object[] = [];
  const materials: object[] = [];
  let offset = 0;
  parts.forEach((part, index) => {
    const positions = part.triangles;
    const normals: number[] = [];
    for (let i = 0; i < positions.length; i += 9) {
      const a = positions.slice(i, i + 3) as V3;
      const b = positions.slice(i + 3, i + 6) as V3;
      const c = positions.slice(i + 6, i + 9) as V3;
      const n = unit(cross(sub(b, a), sub(c, a)));
      normals.push(...n, ...n, ...n);
    }
    const count = positions.length / 3;
    const min: V3 = [Infinity, Infinity, Infinity];
    const max: V3 = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < positions.length; i++) {
      const axis = i % 3;
      min[axis] = Math.min(min[axis] as number, positions[i] as number);
      max[axis] = Math.max(max[axis] as number, positions[i] as number);
    }
    for (const [data, extra] of [
      [positions, { min: min.map((n) => Math.fround(n)), max: max.map((n) => Math.fround(n)) }],
      [normals, {}],
    ] as const) {
      bin.push(data as number[]);
      bufferViews.push({ buffer: 0, byteOffset: offset, byteLength: data.length * 4, target: 34962 });
      accessors.push({ bufferView: bufferViews.length - 1, componentType: 5126, count, type: 'VEC3', ...extra });
      offset += data.length * 4;
    }
    primitives.push({ attributes: { POSITION: accessors.length - 2, NORMAL: accessors.length - 1 }, material: index });
    materials.push({
      name: part.name,
      pbrMetallicRoughness: {
        baseColorFactor: [...part.color, 1],
        metallicFactor: part.metallic,
        roughnessFactor: part.roughness,
      },
      ...(part.emissive ? { emissiveFactor: part.emissive } : {}),
    });
  });
  const floats = new Float32Array(bin.flat());
  const binBytes = padTo4(new Uint8Array(floats.buffer), 0);
  const json = {
    asset: { version: '2.0', generator },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, name: generator }],
    meshes: [{ primitives }],
    materials,
    buffers: [{ byteLength: binBytes.length }],
    bufferViews,
    accessors,
  };
  const jsonBytes = padTo4(new TextEncoder().encode(JSON.stringify(json)), 0x20);
  const total = 12 + 8 + jsonBytes.length + 8 + binBytes.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true); // "glTF"
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonBytes.length, true);
  view.setUint32(16, 0x4e4f534a, true); // "JSON"
  out.set(jsonBytes, 20);
  const binStart = 20 + jsonBytes.length;
  view.setUint32(binStart, binBytes.length, true);
  view.setUint32(binStart + 4, 0x004e4942, true); // "BIN\0"
  out.set(binBytes, binStart + 8);
  return out;
}
