import { useContext, useEffect, useRef } from 'react';
import { DoubleSide, FrontSide, type MeshStandardMaterial } from 'three';
import type { MeshNode } from '../../scene/model/scene-model.ts';
import { isFlat, usePrimitiveGeometry } from './primitive-geometry.ts';
import { HoverHighlight, SceneContext } from './scene-context.ts';

/** Emissive boost of a hovered object without its own hover colour. */
const HOVER_EMISSIVE = 0.35;

/** A primitive with its material (MAT1), glow (TRAIT1) and local hover highlight (TRAIT4). */
export function SceneMesh({ node }: { node: MeshNode }) {
  const context = useContext(SceneContext);
  const highlight = useContext(HoverHighlight);
  const material = useRef<MeshStandardMaterial>(null);
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
  const resting = useRef(emissiveIntensity);
  resting.current = emissiveIntensity;

  const pulse = glowing?.pulse ?? 0;
  useEffect(() => {
    const target = material.current;
    if (!context || !target || pulse <= 0) return;
    const remove = context.behaviours.addGlow(node.id, target, emissiveIntensity, pulse);
    return () => {
      remove();
      target.emissiveIntensity = resting.current;
    };
  }, [context, node.id, emissiveIntensity, pulse]);

  const geometry = usePrimitiveGeometry(node.geometry);
  // A rare primitive's class is still loading (LOAD20): nothing to draw yet.
  if (!geometry) return null;
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
        ref={material}
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
