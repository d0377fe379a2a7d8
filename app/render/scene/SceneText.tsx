import { useEffect, useMemo } from 'react';
import { DoubleSide } from 'three';
import type { TextSpec } from '../../scene/model/scene-model.ts';
import { createTextTexture } from './text-texture.ts';

/**
 * A text label (KIND2): a sprite that always faces the viewer, or a plane in
 * the node's own orientation when `billboard: false`. `size` is the height of
 * one line in metres.
 */
export function SceneText({ text, position }: { text: TextSpec; position?: [number, number, number] }) {
  const drawn = useMemo(
    () => createTextTexture(text.text, text.color, text.background),
    [text.text, text.color, text.background],
  );
  useEffect(() => () => drawn.texture.dispose(), [drawn]);
  const scale: [number, number, number] = [drawn.width * text.size, drawn.height * text.size, 1];
  if (text.billboard) {
    return (
      <sprite scale={scale} position={position} renderOrder={1}>
        <spriteMaterial map={drawn.texture} transparent depthWrite={false} toneMapped={false} />
      </sprite>
    );
  }
  return (
    <mesh scale={scale} position={position}>
      <planeGeometry args={[1, 1]} />
      <meshBasicMaterial map={drawn.texture} transparent side={DoubleSide} depthWrite={false} toneMapped={false} />
    </mesh>
  );
}

/** Line height of object labels (metres): readable from a few metres away. */
const LABEL_SIZE = 0.14;

/** A label floating above an object (`label: "..."`). */
export function FloatingLabel({ label, position }: { label: string; position: [number, number, number] }) {
  const spec: TextSpec = useMemo(
    () => ({ text: label, color: '#ffffff', size: LABEL_SIZE, background: '#0f1720', billboard: true }),
    [label],
  );
  return <SceneText text={spec} position={position} />;
}
