/**
 * A parse worker: instantiates the parser from the `WebAssembly.Module` the
 * pool posts (compiled once on the main thread), then answers parse requests
 * with the binary result, transferring its buffer.
 */
import { instantiateParser, type ParserModule } from './wasm-module.ts';
import type { FromWorker, ToWorker } from './worker-messages.ts';

/** The parts of a dedicated worker's global scope used here (the DOM lib types `self` as a Window). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const scopeName = globalThis.constructor.name;
let parser: Promise<ParserModule> | undefined;

function send(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'init') {
    parser = instantiateParser(message.module);
    parser.catch((error: Error) => send({ type: 'error', job: null, message: error.message }));
    return;
  }
  const { job, text } = message;
  if (!parser) {
    send({ type: 'error', job, message: 'parse request before init' });
    return;
  }
  parser.then(
    (module) => {
      try {
        const t0 = performance.now();
        const bytes = module.parseRaw(text, 'binary');
        const parseMs = performance.now() - t0;
        send({ type: 'result', job, bytes, parseMs, scope: scopeName }, [bytes.buffer]);
      } catch (error) {
        send({ type: 'error', job, message: error instanceof Error ? error.message : String(error) });
      }
    },
    () => {
      // Already reported as a setup error; this request fails with it.
      send({ type: 'error', job, message: 'the parser failed to load in this worker' });
    },
  );
};
