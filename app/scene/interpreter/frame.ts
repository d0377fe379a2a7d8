/** One handler call's evaluation frame: the object it runs for, its locals and the event. */

import type { ObjectId } from '../../core/ids.ts';
import type { Value } from './values.ts';

interface Local {
  value: Value;
  constant: boolean;
}

export interface Frame {
  self: ObjectId;
  locals: Map<string, Local>;
  event: Value;
}
