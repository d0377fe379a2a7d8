/**
 * Starts room members' document sessions in Node, each in its own process (node-sync-member.ts),
 * for tests and benchmarks of what y-webrtc sends between them (docs/transports.md TRN30-TRN33).
 *
 * @example
 *   const [a, b] = await startNodeSyncMembers(signalingUrl, 'room1', ['A', 'B'], { forwarding: 'trimmed' });
 *   await until(async () => (await b.report()).webrtcPeers === 1, 'B connected');
 *   await stopNodeSyncMembers([a, b]);
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NodeSyncMemberArgs, NodeSyncMemberReport, NodeSyncMemberRequest } from './node-sync-member.ts';

const ENTRY = fileURLToPath(new URL('./node-sync-member.ts', import.meta.url));
/** Starting a process (tsx compiles the session's modules) can take seconds on a loaded 2-core machine. */
const READY_TIMEOUT_MS = 60_000;
const ANSWER_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

export interface NodeSyncMember {
  readonly name: string;
  readonly process: ChildProcess;
  report(withScript?: boolean): Promise<NodeSyncMemberReport>;
  /** Applies a Yjs update as the member's own change. */
  apply(update: Uint8Array): Promise<void>;
  /** Appends text to the member's script. */
  type(text: string): Promise<void>;
  /** Closes every WebRTC connection of the member; y-webrtc reconnects. */
  drop(): Promise<void>;
  /** Sends `times` awareness queries to each connected peer at once. */
  query(times: number): Promise<void>;
}

/** Waits for the child's next message of `type`, or says which member did not answer in time. */
function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number, what: string): Promise<T> {
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

async function startOne(args: NodeSyncMemberArgs): Promise<NodeSyncMember> {
  const child = fork(ENTRY, [JSON.stringify(args)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await nextMessage(child, 'ready', READY_TIMEOUT_MS, args.name).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  const ask = <T>(request: NodeSyncMemberRequest, answer: string) => {
    const reply = nextMessage<T>(child, answer, ANSWER_TIMEOUT_MS, args.name);
    child.send(request);
    return reply;
  };
  return {
    name: args.name,
    process: child,
    report: (withScript = false) => ask<NodeSyncMemberReport>({ type: 'report', withScript }, 'report'),
    apply: async (update) => {
      await ask({ type: 'apply', update: Buffer.from(update).toString('base64') }, 'applied');
    },
    type: async (text) => {
      await ask({ type: 'type', text }, 'typed');
    },
    drop: async () => {
      await ask({ type: 'drop' }, 'dropped');
    },
    query: async (times) => {
      await ask({ type: 'query', times }, 'queried');
    },
  };
}

/** One process per name, started one after another; all or none. `maxConns` per name, if given. */
export async function startNodeSyncMembers(
  signalingUrl: string,
  roomId: string,
  names: readonly string[],
  options: { forwarding: NodeSyncMemberArgs['forwarding']; maxConns?: readonly number[] },
): Promise<NodeSyncMember[]> {
  const members: NodeSyncMember[] = [];
  try {
    for (const [i, name] of names.entries()) {
      const maxConns = options.maxConns?.[i];
      members.push(
        await startOne({
          signalingUrl,
          roomId,
          name,
          forwarding: options.forwarding,
          ...(maxConns !== undefined ? { maxConns } : {}),
        }),
      );
    }
  } catch (error) {
    await stopNodeSyncMembers(members);
    throw error;
  }
  return members;
}

/** Asks each to leave and exit; kills what has not exited after STOP_TIMEOUT_MS. */
export async function stopNodeSyncMembers(members: readonly NodeSyncMember[]): Promise<void> {
  await Promise.all(
    members.map(async ({ process: child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.send({ type: 'stop' } satisfies NodeSyncMemberRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** Polls `check` every 50 ms until it holds; throws with `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
