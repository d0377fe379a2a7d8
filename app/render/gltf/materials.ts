/**
 * glTF materials (§3.9, metallic-roughness PBR) as three materials, and their
 * textures. Base colour and emissive textures are sRGB, the others linear;
 * samplers map to three's filters and wrapping; `KHR_materials_unlit` makes a
 * MeshBasicMaterial, `KHR_texture_transform` sets a texture's offset,
 * rotation, scale and coordinate set, `KHR_materials_emissive_strength` the
 * emissive intensity. A texture whose image could not be read is left out (a
 * warning), as three's own loader does.
 */
import {
  ClampToEdgeWrapping,
  type ColorSpace,
  DoubleSide,
  LinearFilter,
  LinearMipmapLinearFilter,
  LinearMipmapNearestFilter,
  LinearSRGBColorSpace,
  type MagnificationTextureFilter,
  type Material,
  MeshBasicMaterial,
  MeshStandardMaterial,
  type MinificationTextureFilter,
  MirroredRepeatWrapping,
  NearestFilter,
  NearestMipmapLinearFilter,
  NearestMipmapNearestFilter,
  NoColorSpace,
  RepeatWrapping,
  SRGBColorSpace,
  Texture,
  type Wrapping,
} from 'three';
import { extension, finite, integer, type Json, numbers, object, reference, text } from './json-reader.ts';

const FILTERS: Readonly<Record<number, MagnificationTextureFilter & MinificationTextureFilter>> = {
  9728: NearestFilter,
  9729: LinearFilter,
};
const MIN_FILTERS: Readonly<Record<number, MinificationTextureFilter>> = {
  ...FILTERS,
  9984: NearestMipmapNearestFilter,
  9985: LinearMipmapNearestFilter,
  9986: NearestMipmapLinearFilter,
  9987: LinearMipmapLinearFilter,
};
const WRAPPINGS: Readonly<Record<number, Wrapping>> = {
  33071: ClampToEdgeWrapping,
  33648: MirroredRepeatWrapping,
  10497: RepeatWrapping,
};

/** How a primitive changes the material it uses (as three's loader clones one per use). */
export interface MaterialUse {
  vertexColors: boolean;
  /** No normals: flat shading. */
  flat: boolean;
  /** No tangents: three derives them, and the normal map's y is flipped to match glTF's. */
  derivedTangents: boolean;
}

/** The file's materials, each made once per use. */
export class MaterialSet {
  private readonly made = new Map<string, Material>();
  private readonly textureCache = new Map<string, Texture | null>();

  constructor(
    private readonly materials: readonly Json[],
    private readonly textures: readonly Json[],
    private readonly samplers: readonly Json[],
    /** Decoded images by index; `null` for one that could not be read. */
    private readonly images: readonly unknown[],
    private readonly warnings: string[],
  ) {}

  get count(): number {
    return this.materials.length;
  }

  /** Material `index` (`undefined`: glTF's default material) for one use. */
  get(index: number | undefined, use: MaterialUse): Material {
    const key = `${index}:${use.vertexColors}:${use.flat}:${use.derivedTangents}`;
    let material = this.made.get(key);
    if (!material) {
      material = this.make(index, use);
      this.made.set(key, material);
    }
    return material;
  }

  private make(index: number | undefined, use: MaterialUse): Material {
    const where = `materials[${index}]`;
    const def = index === undefined ? {} : (this.materials[index] ?? {});
    const pbr = object(def.pbrMetallicRoughness, `${where}.pbrMetallicRoughness`);
    const unlit = extension(def, 'KHR_materials_unlit', where) !== undefined;
    const [r, g, b, a] = numbers(pbr, 'baseColorFactor', `${where}.pbrMetallicRoughness`, 4, [1, 1, 1, 1]);
    const material = unlit ? new MeshBasicMaterial() : new MeshStandardMaterial();
    material.name = text(def, 'name', where, '');
    material.color.setRGB(r ?? 1, g ?? 1, b ?? 1, LinearSRGBColorSpace);
    material.opacity = a ?? 1;
    material.map = this.texture(pbr.baseColorTexture, `${where}.baseColorTexture`, SRGBColorSpace);
    material.vertexColors = use.vertexColors;
    if (def.doubleSided === true) material.side = DoubleSide;
    const alphaMode = text(def, 'alphaMode', where, 'OPAQUE');
    if (alphaMode === 'BLEND') {
      material.transparent = true;
      material.depthWrite = false;
    } else if (alphaMode === 'MASK') {
      material.alphaTest = finite(def, 'alphaCutoff', where, 0.5);
    }
    if (material instanceof MeshStandardMaterial) this.shade(material, def, pbr, where, use);
    return material;
  }

  private shade(material: MeshStandardMaterial, def: Json, pbr: Json, where: string, use: MaterialUse): void {
    material.metalness = finite(pbr, 'metallicFactor', where, 1);
    material.roughness = finite(pbr, 'roughnessFactor', where, 1);
    const metallicRoughness = this.texture(
      pbr.metallicRoughnessTexture,
      `${where}.metallicRoughnessTexture`,
      NoColorSpace,
    );
    material.metalnessMap = metallicRoughness;
    material.roughnessMap = metallicRoughness;
    const normal = object(def.normalTexture, `${where}.normalTexture`);
    material.normalMap = this.texture(def.normalTexture, `${where}.normalTexture`, NoColorSpace);
    const normalScale = finite(normal, 'scale', `${where}.normalTexture`, 1);
    material.normalScale.set(normalScale, use.derivedTangents ? -normalScale : normalScale);
    const occlusion = object(def.occlusionTexture, `${where}.occlusionTexture`);
    material.aoMap = this.texture(def.occlusionTexture, `${where}.occlusionTexture`, NoColorSpace);
    material.aoMapIntensity = finite(occlusion, 'strength', `${where}.occlusionTexture`, 1);
    const [er, eg, eb] = numbers(def, 'emissiveFactor', where, 3, [0, 0, 0]);
    material.emissive.setRGB(er ?? 0, eg ?? 0, eb ?? 0, LinearSRGBColorSpace);
    material.emissiveMap = this.texture(def.emissiveTexture, `${where}.emissiveTexture`, SRGBColorSpace);
    const strength = extension(def, 'KHR_materials_emissive_strength', where);
    if (strength) material.emissiveIntensity = finite(strength, 'emissiveStrength', where, 1);
    material.flatShading = use.flat;
  }

  /** The texture a texture-info object names, in `colorSpace`; `null` without one or when its image failed. */
  private texture(info: unknown, where: string, colorSpace: ColorSpace): Texture | null {
    if (info === undefined) return null;
    const def = object(info, where);
    const index = reference(def, 'index', where, this.textures.length);
    if (index === undefined) return null;
    const texCoord = integer(def, 'texCoord', where, 0, 3, 0);
    const transform = extension(def, 'KHR_texture_transform', where);
    const key = `${index}:${colorSpace}:${texCoord}:${JSON.stringify(transform ?? null)}`;
    if (this.textureCache.has(key)) return this.textureCache.get(key) ?? null;
    const base = this.baseTexture(index);
    let texture: Texture | null = null;
    if (base) {
      texture = base.clone();
      texture.colorSpace = colorSpace;
      texture.channel = texCoord;
      if (transform) {
        const at = `${where}.extensions.KHR_texture_transform`;
        texture.offset.fromArray(numbers(transform, 'offset', at, 2, [0, 0]));
        texture.rotation = finite(transform, 'rotation', at, 0);
        texture.repeat.fromArray(numbers(transform, 'scale', at, 2, [1, 1]));
        texture.channel = integer(transform, 'texCoord', at, 0, 3, texCoord);
      }
      texture.needsUpdate = true;
    }
    this.textureCache.set(key, texture);
    return texture;
  }

  /** Texture `index` with its sampler, one per index; its clones share the image (one upload). */
  private baseTexture(index: number): Texture | null {
    const key = `base:${index}`;
    if (this.textureCache.has(key)) return this.textureCache.get(key) ?? null;
    const where = `textures[${index}]`;
    const def = this.textures[index] ?? {};
    const source = reference(def, 'source', where, this.images.length);
    const image = source === undefined ? null : this.images[source];
    let texture: Texture | null = null;
    if (image === null || image === undefined) {
      this.warnings.push(`${where} has no image the loader can read; it is left out`);
    } else {
      const sampler = object(
        this.samplers[reference(def, 'sampler', where, this.samplers.length) ?? -1],
        `${where}'s sampler`,
      );
      texture = new Texture(image);
      texture.flipY = false;
      texture.name = text(def, 'name', where, '');
      texture.magFilter = FILTERS[finite(sampler, 'magFilter', where, 0)] ?? LinearFilter;
      texture.minFilter = MIN_FILTERS[finite(sampler, 'minFilter', where, 0)] ?? LinearMipmapLinearFilter;
      texture.wrapS = WRAPPINGS[finite(sampler, 'wrapS', where, 0)] ?? RepeatWrapping;
      texture.wrapT = WRAPPINGS[finite(sampler, 'wrapT', where, 0)] ?? RepeatWrapping;
      texture.generateMipmaps = texture.minFilter !== NearestFilter && texture.minFilter !== LinearFilter;
      texture.needsUpdate = true;
    }
    this.textureCache.set(key, texture);
    return texture;
  }
}
