/**
 * Pointer events for `@clickable` and `@hoverable` nodes (TRAIT3, TRAIT4):
 * mouse, touch, and XR controller rays alike (R3F and @react-three/xr deliver
 * them the same way). Clicks and hover changes run the node's handlers through
 * the runtime; the hover highlight itself is local to the person pointing.
 */
import type { ThreeEvent } from '@react-three/fiber';
import { useCallback, useEffect, useState } from 'react';
import type { SceneNode } from '../../scene/model/scene-model.ts';
import type { SceneRuntime } from '../../scene/runtime/scene-runtime.ts';

export interface Interaction {
  handlers: {
    onClick?: (event: ThreeEvent<MouseEvent>) => void;
    onPointerOver?: (event: ThreeEvent<PointerEvent>) => void;
    onPointerOut?: (event: ThreeEvent<PointerEvent>) => void;
  };
  hovered: boolean;
}

function isClickable(node: SceneNode): boolean {
  return node.traits.clickable || node.handlers.events.has('click');
}

function isHoverable(node: SceneNode): boolean {
  return (
    node.traits.hoverable !== null || node.handlers.events.has('hoverenter') || node.handlers.events.has('hoverexit')
  );
}

function setCursor(cursor: string): void {
  if (typeof document !== 'undefined') document.body.style.cursor = cursor;
}

export function useInteraction(node: SceneNode, runtime: SceneRuntime | undefined): Interaction {
  const clickable = isClickable(node);
  const hoverable = isHoverable(node);
  const [hovered, setHovered] = useState(false);
  const id = node.id;

  const onClick = useCallback(
    (event: ThreeEvent<MouseEvent>) => {
      event.stopPropagation();
      runtime?.dispatch(id, 'click', { point: [event.point.x, event.point.y, event.point.z] });
    },
    [runtime, id],
  );
  const onPointerOver = useCallback(
    (event: ThreeEvent<PointerEvent>) => {
      event.stopPropagation();
      setHovered(true);
      if (clickable) setCursor('pointer');
      runtime?.dispatch(id, 'hoverenter');
    },
    [runtime, id, clickable],
  );
  const onPointerOut = useCallback(
    (event: ThreeEvent<PointerEvent>) => {
      event.stopPropagation();
      setHovered(false);
      setCursor('');
      runtime?.dispatch(id, 'hoverexit');
    },
    [runtime, id],
  );
  // A node that stops being interactive (or goes away) while hovered leaves no pointer cursor behind.
  useEffect(() => () => setCursor(''), []);

  if (!clickable && !hoverable) return { handlers: {}, hovered: false };
  return {
    handlers: { ...(clickable ? { onClick } : {}), onPointerOver, onPointerOut },
    hovered: hovered && node.traits.hoverable !== null,
  };
}
