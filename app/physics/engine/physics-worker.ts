/**
 * The physics worker (docs/physics.md PHYS9): loads the engine, builds the
 * world the main thread describes and steps it on request, answering every
 * message once (worker-messages.ts). Messages are handled one after another,
 * so a step sent while the engine still loads waits for the world it is for.
 */
import { loadPhysicsEngine } from '../load-engine.ts';
import { createResult, PhysicsStepper } from './stepper.ts';
import { type FromWorker, readToWorker, resultBuffers, type ToWorker } from './worker-messages.ts';

/** The parts of a dedicated worker's global scope used here (the DOM lib types `self` as a Window). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(message: FromWorker, transfer: ArrayBuffer[]): void;
}

const scope = globalThis as unknown as WorkerScope;
let stepper: PhysicsStepper | undefined;
let queue: Promise<void> = Promise.resolve();

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'build') {
    const rapier = await loadPhysicsEngine();
    stepper?.free();
    stepper = undefined;
    const built = new PhysicsStepper(rapier, message.spec, message.world);
    stepper = built;
    const result = built.readOut(createResult(built.count));
    scope.postMessage({ type: 'result', result }, resultBuffers(result));
    return;
  }
  const { request, recycle } = message;
  if (!stepper || stepper.world !== request.world) {
    scope.postMessage({ type: 'error', message: `a step for world ${request.world}, which is not built` }, []);
    return;
  }
  const result = stepper.run(request, recycle ?? createResult(stepper.count));
  scope.postMessage({ type: 'result', result }, resultBuffers(result));
}

scope.onmessage = (event) => {
  const read = readToWorker(event.data);
  if (!read.ok) {
    scope.postMessage({ type: 'error', message: read.error }, []);
    return;
  }
  const message = read.message;
  queue = queue
    .then(() => handle(message))
    .catch((error: unknown) => scope.postMessage({ type: 'error', message: errorText(error) }, []));
};
