import { memo, useContext, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { Group } from 'three';
import type { SceneNode } from '../../scene/model/scene-model.ts';
import { SceneLight } from './SceneLight.tsx';
import { SceneMesh } from './SceneMesh.tsx';
import { SceneModelAsset } from './SceneModelAsset.tsx';
import { FloatingLabel, SceneText } from './SceneText.tsx';
import { HoverHighlight, SceneContext } from './scene-context.ts';
import { useInteraction } from './use-interaction.ts';

const DEG = Math.PI / 180;
/** Space between an object's top and its label (metres). */
const LABEL_GAP = 0.14;
/** How much the object with keyboard focus grows (ACC5). */
const FOCUS_SCALE = 1.15;

function NodeContent({ node }: { node: SceneNode }) {
  const context = useContext(SceneContext);
  const runtime = context?.runtime;
  const onProblem = useMemo(
    () => (message: string | null) => runtime?.reportRenderProblem(node.id, message),
    [runtime, node.id],
  );
  switch (node.kind) {
    case 'mesh':
      return <SceneMesh node={node} />;
    case 'model':
      return (
        <SceneModelAsset
          url={node.url}
          castShadow={(context?.shadows ?? true) && node.castShadow}
          receiveShadow={(context?.shadows ?? true) && node.receiveShadow}
          onProblem={onProblem}
        />
      );
    case 'text':
      return <SceneText text={node.text} />;
    case 'light':
      return <SceneLight node={node} />;
    case 'group':
      return null;
  }
}

/**
 * One scene node: a group carrying its transform (rotation in degrees in the
 * model, radians here), registered by id, animated if `@animated`, with its
 * content and children. Memoized on the node: merge-state.ts keeps unchanged
 * nodes identical, so an object-state change redraws only that object.
 */
export const SceneNodeView = memo(function SceneNodeView({ node }: { node: SceneNode }) {
  const context = useContext(SceneContext);
  const group = useRef<Group>(null);
  const interaction = useInteraction(node, context?.runtime, context?.focus);
  const { transform, traits } = node;
  const latest = useRef(transform);
  latest.current = transform;

  useLayoutEffect(() => {
    const object = group.current;
    if (!context || !object) return;
    return context.registry.add(node.id, object);
  }, [context, node.id]);

  const animated = traits.animated;
  useEffect(() => {
    const object = group.current;
    if (!context || !object || !animated) return;
    const remove = context.behaviours.addMotion(node.id, object, transform, animated);
    return () => {
      remove();
      // Back to the script's (or the room's) transform, whatever it is now.
      const current = latest.current;
      object.position.set(...current.position);
      object.rotation.set(current.rotation[0] * DEG, current.rotation[1] * DEG, current.rotation[2] * DEG);
      object.scale.set(...current.scale);
    };
  }, [context, node.id, transform, animated]);

  const hover = traits.hoverable;
  // Keyboard focus (ACC5) glows like a hover and grows the object a little more, so it shows on any object.
  const { focused } = interaction;
  const highlight = useMemo(
    () => (focused || (interaction.hovered && hover) ? { color: hover?.color ?? null } : null),
    [focused, interaction.hovered, hover],
  );
  const hoverScale = focused
    ? Math.max(FOCUS_SCALE, hover?.scale ?? 1)
    : interaction.hovered && hover
      ? hover.scale
      : 1;
  // The label sits above the object in the parent's frame, so the object's scale does not shrink it.
  const top = 0.5 * ('size' in node ? node.size[1] : 1) * transform.scale[1];
  const labelPosition: [number, number, number] = [
    transform.position[0],
    transform.position[1] + top + LABEL_GAP,
    transform.position[2],
  ];

  return (
    <>
      <group
        ref={group}
        name={node.id}
        position={transform.position}
        rotation={[transform.rotation[0] * DEG, transform.rotation[1] * DEG, transform.rotation[2] * DEG]}
        scale={transform.scale}
        visible={node.visible}
        userData={{
          sceneId: node.id,
          grabbable: traits.grabbable,
          collidable: traits.collidable,
          networked: traits.networked,
          throwable: traits.throwable,
        }}
        {...interaction.handlers}
      >
        <HoverHighlight.Provider value={highlight}>
          <group scale={hoverScale}>
            <NodeContent node={node} />
          </group>
          {node.children.map((child) => (
            <SceneNodeView key={child.id} node={child} />
          ))}
        </HoverHighlight.Provider>
      </group>
      {node.label !== null && node.visible && <FloatingLabel label={node.label} position={labelPosition} />}
    </>
  );
});
