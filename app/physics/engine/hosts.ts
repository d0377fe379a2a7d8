/**
 * Where the physics world runs (docs/physics.md PHYS9): a dedicated worker in
 * browsers, so the engine's steps and the compiling of its 1.5 MB WebAssembly
 * stay off the main thread, or in process where there is no Worker (Node
 * tests, old browsers).
 * Both take the same requests and give the same results through the same
 * PhysicsStepper; the room's authority rules (room-physics.ts) cannot tell
 * them apart except by time: a worker's result arrives in a later frame.
 *
 * @example
 *   const host = await loadPhysicsHost({ result: (r) => ..., error: (message) => ... });
 *   host.build(spec, 1);          // answered by the world's read-out (seq 0)
 *   host.step(request, recycled); // answered by the result of its steps
 */
import { loadPhysicsEngine } from '../load-engine.ts';
import type { WorldSpec } from '../world-spec.ts';
import type { Rapier } from './simulation.ts';
import { createResult, PhysicsStepper, type StepRequest, type StepResult } from './stepper.ts';
import { type FromWorker, readFromWorker, resultBuffers, type ToWorker } from './worker-messages.ts';

/** Where a host's answers go. Every build and every step is answered once, by a result or an error. */
export interface HostSink {
  result(result: StepResult): void;
  error(message: string): void;
}

export interface PhysicsHost {
  readonly kind: 'worker' | 'in-process';
  /** Main-thread time spent taking the host's messages in, ms (a worker's results; 0 in process, where it is all in the frame). */
  readonly messageMs: number;
  /** Builds world number `world` from `spec`, replacing the previous one. */
  build(spec: WorldSpec, world: number): void;
  /** Steps the current world; `recycle` is a result the caller is done with, to fill again. */
  step(request: StepRequest, recycle: StepResult | undefined): void;
  destroy(): void;
}

/** In the calling thread: answers at once, before `build` or `step` returns. */
export class InProcessHost implements PhysicsHost {
  readonly kind = 'in-process';
  readonly messageMs = 0;
  private stepper: PhysicsStepper | undefined;

  constructor(
    private readonly rapier: Rapier,
    private readonly sink: HostSink,
  ) {}

  build(spec: WorldSpec, world: number): void {
    this.stepper?.free();
    this.stepper = new PhysicsStepper(this.rapier, spec, world);
    this.sink.result(this.stepper.readOut(createResult(this.stepper.count)));
  }

  step(request: StepRequest, recycle: StepResult | undefined): void {
    const stepper = this.stepper;
    if (!stepper || stepper.world !== request.world) {
      this.sink.error(`a step for world ${request.world}, which is not built`);
      return;
    }
    this.sink.result(stepper.run(request, recycle ?? createResult(stepper.count)));
  }

  destroy(): void {
    this.stepper?.free();
    this.stepper = undefined;
  }
}

/** In a dedicated worker (physics-worker.ts), which loads the engine itself. */
class WorkerHost implements PhysicsHost {
  readonly kind = 'worker';
  messageMs = 0;
  private readonly worker: Worker;
  private stopped = false;

  constructor(private readonly sink: HostSink) {
    this.worker = new Worker(new URL('./physics-worker.ts', import.meta.url), {
      type: 'module',
      name: 'holoroom-physics',
    });
    this.worker.onmessage = (event: MessageEvent<unknown>) => {
      const started = performance.now();
      // Reading `data` is when the message is deserialized: timed with the rest.
      this.receive(event.data);
      this.messageMs += performance.now() - started;
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`the physics worker failed: ${event.message || 'it could not start'}`);
    };
    this.worker.onmessageerror = () => this.sink.error('a message from the physics worker could not be read');
  }

  build(spec: WorldSpec, world: number): void {
    this.send({ type: 'build', world, spec }, []);
  }

  step(request: StepRequest, recycle: StepResult | undefined): void {
    this.send({ type: 'step', request, recycle: recycle ?? null }, recycle ? resultBuffers(recycle) : []);
  }

  destroy(): void {
    this.stopped = true;
    this.worker.terminate();
  }

  private send(message: ToWorker, transfer: ArrayBuffer[]): void {
    if (this.stopped) return;
    this.worker.postMessage(message, transfer);
  }

  private receive(data: unknown): void {
    if (this.stopped) return;
    const read = readFromWorker(data);
    if (!read.ok) {
      this.sink.error(`a message from the physics worker was refused: ${read.error}`);
      return;
    }
    const message: FromWorker = read.message;
    if (message.type === 'result') this.sink.result(message.result);
    else this.sink.error(message.message);
  }

  /** The worker is gone: nothing it owes will come. */
  private fail(message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.terminate();
    this.sink.error(message);
  }
}

/** A worker where the page has Worker, else the engine in this thread (loaded here, on first use). */
export async function loadPhysicsHost(sink: HostSink, inWorker = typeof Worker !== 'undefined'): Promise<PhysicsHost> {
  if (inWorker) return new WorkerHost(sink);
  return new InProcessHost(await loadPhysicsEngine(), sink);
}
