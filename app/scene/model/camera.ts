/**
 * `camera { position, target, fov }` (CAM1): where the desktop view starts
 * when a scene is loaded. It never moves a person who is in XR.
 */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { propertyIn } from '../syntax/vocabulary.ts';
import type { Report } from './read-properties.ts';
import type { CameraSpec } from './scene-model.ts';
import { finiteNumber, readVec3, within } from './vectors.ts';

export function readCameraProperty(camera: CameraSpec, rawKey: string, value: JsonValue, report: Report): void {
  const property = propertyIn(['camera'], rawKey);
  switch (property?.name) {
    case 'position':
    case 'target': {
      const v = readVec3(value, false);
      if (!v) report('BAD_VALUE', `\`${rawKey}\` needs [x, y, z].`);
      else if (property.name === 'position') camera.position = v;
      else camera.target = v;
      return;
    }
    case 'fov': {
      const n = finiteNumber(value);
      if (n === undefined) report('BAD_VALUE', '`fov` needs a number of degrees.');
      else camera.fov = within(property, n);
      return;
    }
    default:
      report('UNSUPPORTED_PROPERTY', `\`${rawKey}\` is not a camera setting Holoroom uses.`);
  }
}
