/**
 * How much of a glTF file the loader reads (docs/scene-language.md, LOAD33).
 * A model file is untrusted: these bound the objects it can make and the
 * memory its accessors can claim, beyond the byte and triangle caps every
 * model has (LIMIT3). Each is far above what the models we ship use.
 */
export const GLTF_LIMITS = {
  /** Entries of each top-level list (nodes, meshes, accessors, buffer views, materials, ...). */
  listEntries: 65_536,
  /** Nodes: each becomes an object in the scene. */
  nodes: 16_384,
  /**
   * Objects made over every scene: nodes and their meshes (one per primitive). Bounds a file whose nodes
   * each use a mesh of many primitives, or whose scenes each list the whole tree.
   */
  objects: 65_536,
  /** Primitives of one mesh. */
  primitives: 1_024,
  /** Scenes of one file. */
  scenes: 64,
  /** Buffers, images and textures. */
  buffers: 64,
  images: 1_024,
  /** Joints of one skin. */
  joints: 1_024,
  /** Depth of the node tree: three walks it recursively every frame. */
  depth: 128,
  /** Bytes the accessors may decode into, all together (an accessor without a buffer view is zeros of any count). */
  decodedBytes: 64 * 1024 * 1024,
  /** Width or height of an image, in pixels. */
  imageSide: 8_192,
} as const;
