/**
 * A test's or a benchmark's helper processes (Node room members, each in its own process): forked
 * under tsx with one JSON argument, answered over IPC, asked to stop and killed if they do not exit.
 * Used by testing/room/node-pose-peers.ts and testing/sync/node-sync-members.ts.
 */
import { type ChildProcess, fork } from 'node:child_process';

/** Starting a process (tsx compiles the room's modules) can take seconds on a loaded 2-core machine. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/** Waits for the child's next message of `type`, or says which child (`what`) did not answer in time. */
export function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${what}: exited (code ${code}) before "${type}"`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Forks `entry` with `args` (JSON) and waits for its "ready" message; a child that sends none is killed. */
export async function forkReady<Ready>(
  entry: string,
  args: { name: string },
): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(entry, [JSON.stringify(args)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextMessage<Ready>(child, 'ready', READY_TIMEOUT_MS, args.name).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { child, ready };
}

/** Sends each child `{ type: 'stop' }`; kills what has not exited after STOP_TIMEOUT_MS. */
export async function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
}
