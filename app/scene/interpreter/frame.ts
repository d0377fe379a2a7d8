/** One handler call's evaluation frame: the object it runs for, its locals and the event. */
import type { Value } from './values.ts';

interface Local {
  value: Value;
  constant: boolean;
}

export interface Frame {
  self: string;
  locals: Map<string, Local>;
  event: Value;
}
