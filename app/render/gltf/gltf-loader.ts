/**
 * Our glTF 2.0 loader (docs/performance.md LOAD31-LOAD34): a GLB or .gltf file
 * to three objects, for the scene's models (KIND3) and the XR library's
 * controller and hand models. It reads what those need and nothing more:
 * buffers (the GLB's own, `data:` URIs, files beside the model on this site),
 * accessors of every component type (normalized, strided, sparse), triangle
 * meshes, metallic-roughness materials with their textures, samplers, alpha
 * modes, vertex colours, the node tree (TRS or matrix), every scene, skins;
 * and the extensions KHR_materials_unlit, KHR_texture_transform,
 * KHR_mesh_quantization and KHR_materials_emissive_strength. Animations,
 * morph targets, cameras and lights are not read. A file is untrusted: a
 * malformed one is an error result that says what and where, never a throw,
 * a hang or an allocation past the limits (limits.ts, LIMIT3).
 *
 * @example
 *   const result = await loadGltf('https://example.test/scenes/models/lantern.glb', {
 *     origin: 'https://example.test', maxBytes: MAX_MODEL_BYTES,
 *   });
 *   if (result.ok) scene.add(result.gltf.scene); else console.warn(result.error);
 */
import type { Group } from 'three';
import { AccessorReader } from './accessors.ts';
import { fetchCapped } from './fetch-capped.ts';
import { isGlb, readGlb } from './glb.ts';
import { checkedImageHeader, decodeImageBitmap, type ImageDecoder } from './images.ts';
import { GltfError, integer, type Json, object, objects, reference, strings, text } from './json-reader.ts';
import { GLTF_LIMITS } from './limits.ts';
import { MaterialSet } from './materials.ts';
import { buildScenes, defaultScene } from './scenes.ts';

/** Extensions a file may require: what the loader reads of them is all they ask. */
const SUPPORTED_EXTENSIONS = new Set([
  'KHR_materials_unlit',
  'KHR_texture_transform',
  'KHR_mesh_quantization',
  'KHR_materials_emissive_strength',
]);

/** What the common required extensions we do not read are, for the error. */
const UNSUPPORTED_MEANING: Readonly<Record<string, string>> = {
  KHR_draco_mesh_compression: 'Draco-compressed meshes',
  EXT_meshopt_compression: 'meshopt-compressed buffers',
  KHR_texture_basisu: 'KTX2 textures',
  EXT_texture_webp: 'WebP textures',
  EXT_texture_avif: 'AVIF textures',
};

export interface Gltf {
  /** The scene to show (the file's `scene`, else its first). */
  scene: Group;
  /** Every scene of the file, in order. */
  scenes: Group[];
  /** What was left out (points and lines, textures that could not be read). */
  warnings: string[];
  /** Bytes read: the file and the files it names. */
  bytes: number;
}

export type GltfResult = { ok: true; gltf: Gltf } | { ok: false; error: string };

export interface GltfOptions {
  /** The only origin the model and its files may come from (MODEL1). */
  origin: string;
  /** Bytes the model's file and the files it names may take together (LIMIT3). */
  maxBytes: number;
  /** Image decoding; the browser's ImageBitmap by default. */
  decodeImage?: ImageDecoder;
}

/** The model at `url` (absolute, on `options.origin`) and the files it names. */
export async function loadGltf(url: string, options: GltfOptions): Promise<GltfResult> {
  let bytes: Uint8Array;
  try {
    bytes = await fetchCapped(new URL(url), options.origin, options.maxBytes);
  } catch (error) {
    return failure(error);
  }
  return parseGltf(bytes, url, options);
}

/** A model's bytes, whose relative URIs resolve against `url`. */
export async function parseGltf(bytes: Uint8Array, url: string, options: GltfOptions): Promise<GltfResult> {
  try {
    return { ok: true, gltf: await parse(bytes, new URL(url), options) };
  } catch (error) {
    return failure(error);
  }
}

function failure(error: unknown): GltfResult {
  // A GltfError is the file's fault; anything else a check this loader lacks, reported the same way.
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: error instanceof GltfError ? message : `the file could not be read: ${message}` };
}

async function parse(bytes: Uint8Array, url: URL, options: GltfOptions): Promise<Gltf> {
  if (bytes.byteLength > options.maxBytes)
    throw new GltfError(`the file is larger than ${options.maxBytes} bytes (LIMIT3)`);
  const container = isGlb(bytes) ? readGlb(bytes) : { json: bytes };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(container.json));
  } catch {
    throw new GltfError('the file is neither GLB nor glTF JSON');
  }
  const json = object(parsed, 'the file');
  const version = text(object(json.asset, 'asset'), 'version', 'asset', '');
  if (!/^2\.\d+$/.test(version))
    throw new GltfError(`asset.version is ${JSON.stringify(version)}; glTF 2.0 is supported`);
  for (const name of strings(json, 'extensionsRequired', 'the file', GLTF_LIMITS.listEntries)) {
    if (!SUPPORTED_EXTENSIONS.has(name)) {
      const meaning = UNSUPPORTED_MEANING[name];
      throw new GltfError(
        `the file requires ${name}${meaning ? ` (${meaning})` : ''}, which the loader does not support`,
      );
    }
  }
  const list = (key: string, max: number = GLTF_LIMITS.listEntries) => objects(json, key, 'the file', max);
  const resources = new Resources(url, options, bytes.byteLength);
  const buffers = await Promise.all(
    list('buffers', GLTF_LIMITS.buffers).map((def, i) => resources.buffer(def, i, container.bin)),
  );
  const accessors = new AccessorReader(list('accessors'), list('bufferViews'), buffers);
  const warnings: string[] = [];
  const images = await Promise.all(
    list('images', GLTF_LIMITS.images).map((def, i) => resources.image(def, i, accessors, warnings)),
  );
  const materials = new MaterialSet(list('materials'), list('textures'), list('samplers'), images, warnings);
  const scenes = buildScenes({
    nodes: list('nodes', GLTF_LIMITS.nodes),
    meshes: list('meshes'),
    skins: list('skins'),
    scenes: list('scenes', GLTF_LIMITS.scenes),
    accessors,
    materials,
    warnings,
  });
  const scene = scenes[defaultScene(json, scenes.length)] as Group;
  return { scene, scenes, warnings, bytes: resources.bytes };
}

/** The files a model names, within the model's byte budget, from its origin only. */
class Resources {
  bytes: number;

  constructor(
    private readonly url: URL,
    private readonly options: GltfOptions,
    fileBytes: number,
  ) {
    this.bytes = fileBytes;
  }

  async buffer(def: Json, index: number, bin: Uint8Array | undefined): Promise<Uint8Array> {
    const where = `buffers[${index}]`;
    const byteLength = integer(def, 'byteLength', where, 1, this.options.maxBytes);
    let bytes: Uint8Array;
    if (def.uri === undefined) {
      if (index !== 0 || !bin) throw new GltfError(`${where} has no uri and is not the GLB's binary chunk`);
      bytes = bin;
    } else {
      bytes = await this.fetch(text(def, 'uri', where, ''), where);
    }
    if (bytes.byteLength < byteLength) {
      throw new GltfError(`${where} is ${bytes.byteLength} bytes; the file says ${byteLength}`);
    }
    return bytes.subarray(0, byteLength);
  }

  /** Image `index` decoded, or `null` (a warning) when it is not an image the loader reads. */
  async image(def: Json, index: number, accessors: AccessorReader, warnings: string[]): Promise<unknown> {
    const where = `images[${index}]`;
    const view = reference(def, 'bufferView', where, Number.MAX_SAFE_INTEGER);
    const bytes =
      view === undefined ? await this.fetch(text(def, 'uri', where, ''), where) : accessors.view(view).bytes;
    const header = checkedImageHeader(bytes, where);
    if (!header) {
      warnings.push(`${where} is neither a PNG nor a JPEG image`);
      return null;
    }
    const decode = this.options.decodeImage ?? decodeImageBitmap;
    try {
      return await decode(bytes, header);
    } catch (error) {
      warnings.push(`${where} could not be decoded: ${(error as Error).message}`);
      return null;
    }
  }

  /** A `data:` URI's bytes, or a file beside the model on its origin. */
  private async fetch(uri: string, where: string): Promise<Uint8Array> {
    if (uri === '') throw new GltfError(`${where} has neither a uri nor a buffer view`);
    const left = this.options.maxBytes - this.bytes;
    let bytes: Uint8Array;
    if (uri.startsWith('data:')) {
      bytes = decodeDataUri(uri, left, where);
    } else {
      let resolved: URL;
      try {
        resolved = new URL(uri, this.url);
      } catch {
        throw new GltfError(`${where}.uri is not a URL`);
      }
      bytes = await fetchCapped(resolved, this.options.origin, left);
    }
    this.bytes += bytes.byteLength;
    if (this.bytes > this.options.maxBytes) {
      throw new GltfError(`the model and its files are larger than ${this.options.maxBytes} bytes (LIMIT3)`);
    }
    return bytes;
  }
}

/** A base64 `data:` URI's bytes; its length is checked before it is decoded. */
function decodeDataUri(uri: string, maxBytes: number, where: string): Uint8Array {
  const comma = uri.indexOf(',');
  if (comma < 0 || !uri.slice(0, comma).endsWith(';base64')) {
    throw new GltfError(`${where}.uri is a data: URI that is not base64`);
  }
  const data = uri.slice(comma + 1);
  if (Math.floor((data.length * 3) / 4) > maxBytes + 2) {
    throw new GltfError(`${where}.uri holds more than the model's ${maxBytes} bytes left (LIMIT3)`);
  }
  let binary: string;
  try {
    binary = atob(data);
  } catch {
    throw new GltfError(`${where}.uri is not valid base64`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
