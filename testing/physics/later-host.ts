/**
 * The physics host of Node tests that need the browser's timing (docs/physics.md
 * PHYS9): the same in-process stepper, but every answer reaches the room on a
 * later task, as the physics worker's messages do, so the room acts on the
 * result of one frame's request in a later frame.
 */
import { type HostSink, InProcessHost, type PhysicsHost } from '../../app/physics/engine/hosts.ts';
import { loadPhysicsEngine } from '../../app/physics/load-engine.ts';

export async function loadLaterHost(sink: HostSink): Promise<PhysicsHost> {
  const later: HostSink = {
    result: (result) => setTimeout(() => sink.result(result), 0),
    error: (message) => setTimeout(() => sink.error(message), 0),
  };
  return new InProcessHost(await loadPhysicsEngine(), later);
}
