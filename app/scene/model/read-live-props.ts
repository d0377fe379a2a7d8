/** Reading a node's current value of a live property (PROP1), as handlers see it. */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { traitOfPropKey } from './live-props.ts';
import type { SceneNode } from './scene-model.ts';

export function livePropValue(node: SceneNode, key: string): JsonValue | undefined {
  const trait = traitOfPropKey(key);
  if (trait) return Boolean(node.traits[trait]);
  switch (key) {
    case 'visible':
      return node.visible;
    case 'label':
      return node.label;
    case 'text':
      return node.kind === 'text' ? node.text.text : undefined;
    case 'intensity':
      return node.kind === 'light' ? node.light.intensity : undefined;
    case 'color':
      if (node.kind === 'light') return node.light.color;
      if (node.kind === 'text') return node.text.color;
      return 'material' in node ? node.material.color : undefined;
    case 'emissive':
    case 'emissiveIntensity':
    case 'opacity':
    case 'roughness':
    case 'metallic':
      return 'material' in node ? node.material[key] : undefined;
    default:
      return undefined;
  }
}
