import { useThree } from '@react-three/fiber';
import { useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { type BufferGeometry, DoubleSide, FrontSide, type Mesh, type MeshStandardMaterial } from 'three';
import type { MeshNode } from '../../scene/model/scene-model.ts';
import type { GlowTarget } from '../../scene/runtime/behaviours.ts';
import type { BatchMember, MeshBatches } from './mesh-batches.ts';
import { isFlat, usePrimitiveGeometry } from './primitive-geometry.ts';
import { HoverHighlight, SceneContext, type SceneRenderContext } from './scene-context.ts';

/** Emissive boost of a hovered object without its own hover colour. */
const HOVER_EMISSIVE = 0.35;

/** The node's glow (TRAIT1) and local hover highlight (TRAIT4) as an emissive colour and intensity. */
function useEmissive(node: MeshNode): { emissive: string; emissiveIntensity: number } {
  const highlight = useContext(HoverHighlight);
  const { glowing } = node.traits;
  const m = node.material;
  let emissive = m.emissive;
  let emissiveIntensity = m.emissiveIntensity;
  if (glowing) {
    emissive = glowing.color ?? m.color;
    emissiveIntensity = Math.max(m.emissiveIntensity, glowing.intensity);
  }
  if (highlight) {
    emissive = highlight.color ?? (glowing ? emissive : '#ffffff');
    emissiveIntensity = Math.max(emissiveIntensity, HOVER_EMISSIVE);
  }
  return { emissive, emissiveIntensity };
}

/** A pulsing `@glowing` (TRAIT1) on `target`, back at its resting intensity when it stops. */
function usePulse(
  context: SceneRenderContext | null,
  node: MeshNode,
  target: GlowTarget | null,
  emissiveIntensity: number,
): void {
  const resting = useRef(emissiveIntensity);
  resting.current = emissiveIntensity;
  const pulse = node.traits.glowing?.pulse ?? 0;
  useEffect(() => {
    if (!context || !target || pulse <= 0) return;
    const remove = context.behaviours.addGlow(node.id, target, emissiveIntensity, pulse);
    return () => {
      remove();
      target.emissiveIntensity = resting.current;
    };
  }, [context, node.id, target, emissiveIntensity, pulse]);
}

/** A primitive with its material (MAT1), glow (TRAIT1) and local hover highlight (TRAIT4). */
export function SceneMesh({ node }: { node: MeshNode }) {
  const context = useContext(SceneContext);
  const geometry = usePrimitiveGeometry(node.geometry);
  // A rare primitive's class is still loading (LOAD20): nothing to draw yet.
  if (!geometry) return null;
  // DRAW2: opaque objects go into a batch; transparent ones are sorted and drawn one by one.
  if (context?.batches && node.material.opacity === 1)
    return <BatchedMesh node={node} geometry={geometry} batches={context.batches} />;
  return <PlainMesh node={node} geometry={geometry} />;
}

/** One mesh and material of its own (transparent objects, and every object with `?draw=plain`). */
function PlainMesh({ node, geometry }: { node: MeshNode; geometry: BufferGeometry }) {
  const context = useContext(SceneContext);
  const [material, setMaterial] = useState<MeshStandardMaterial | null>(null);
  const m = node.material;
  const { emissive, emissiveIntensity } = useEmissive(node);
  usePulse(context, node, material, emissiveIntensity);
  const shadows = context?.shadows ?? true;
  return (
    <mesh
      geometry={geometry}
      scale={node.size}
      castShadow={shadows && node.castShadow && m.opacity === 1}
      receiveShadow={shadows && node.receiveShadow}
      dispose={null}
    >
      <meshStandardMaterial
        ref={setMaterial}
        color={m.color}
        roughness={m.roughness}
        metalness={m.metallic}
        emissive={emissive}
        emissiveIntensity={emissiveIntensity}
        transparent={m.opacity < 1}
        opacity={m.opacity}
        depthWrite={m.opacity >= 1}
        wireframe={m.wireframe}
        side={m.doubleSided || isFlat(node.geometry) ? DoubleSide : FrontSide}
      />
    </mesh>
  );
}

/**
 * An instance in its look's batch (DRAW2, mesh-batches.ts): the node's mesh here is a proxy with
 * the same geometry, picked, grabbed and moved as before, whose material is never drawn.
 */
function BatchedMesh({ node, geometry, batches }: { node: MeshNode; geometry: BufferGeometry; batches: MeshBatches }) {
  const context = useContext(SceneContext);
  const invalidate = useThree((state) => state.invalidate);
  const proxy = useRef<Mesh>(null);
  const [member, setMember] = useState<BatchMember | null>(null);
  const m = node.material;
  const { emissive, emissiveIntensity } = useEmissive(node);
  const shadows = context?.shadows ?? true;
  const side = m.doubleSided || isFlat(node.geometry) ? DoubleSide : FrontSide;
  const castShadow = shadows && node.castShadow;
  const receiveShadow = shadows && node.receiveShadow;

  useLayoutEffect(() => {
    const object = proxy.current;
    if (!object) return;
    const added = batches.add(object, {
      primitive: node.geometry,
      roughness: m.roughness,
      metalness: m.metallic,
      wireframe: m.wireframe,
      side,
      castShadow,
      receiveShadow,
    });
    setMember(added);
    return () => {
      added.remove();
      setMember(null);
    };
  }, [batches, node.geometry, m.roughness, m.metallic, m.wireframe, side, castShadow, receiveShadow]);

  useLayoutEffect(() => {
    member?.setColors(m.color, emissive, emissiveIntensity);
    // A frame shows the new colours (R3F's own invalidation sees no prop change here).
    invalidate();
  }, [member, m.color, emissive, emissiveIntensity, invalidate]);
  usePulse(context, node, member, emissiveIntensity);

  return (
    <mesh ref={proxy} geometry={geometry} material={batches.proxyMaterial(side)} scale={node.size} dispose={null} />
  );
}
