/**
 * Starts room members' document sessions in Node, each in its own process (node-sync-member.ts),
 * for tests and benchmarks of what y-webrtc sends between them (docs/transports.md TRN30-TRN33).
 *
 * @example
 *   const [a, b] = await startNodeSyncMembers(signalingUrl, 'room1', ['A', 'B'], { forwarding: 'trimmed' });
 *   await until(async () => (await b.report()).webrtcPeers === 1, 'B connected');
 *   await stopNodeSyncMembers([a, b]);
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkReady, nextMessage, stopChildren } from '../child-process.ts';
import type { NodeSyncMemberArgs, NodeSyncMemberReport, NodeSyncMemberRequest } from './node-sync-member.ts';

const ENTRY = fileURLToPath(new URL('./node-sync-member.ts', import.meta.url));
const ANSWER_TIMEOUT_MS = 15_000;

export interface NodeSyncMember {
  readonly name: string;
  readonly process: ChildProcess;
  report(withScript?: boolean): Promise<NodeSyncMemberReport>;
  /** Applies a Yjs update as the member's own change. */
  apply(update: Uint8Array): Promise<void>;
  /** Appends text to the member's script. */
  type(text: string): Promise<void>;
  /** Closes the member's WebRTC connection to `to` (a y-webrtc id), or every one; `maxConns` set first, if given. */
  drop(options?: { to?: string; maxConns?: number }): Promise<void>;
  /** Drops every message from `from` (a y-webrtc id) on arrival from now on. */
  mute(from: string): Promise<void>;
  /** Types `perSecond` characters a second for `ms`, moving its presence cursor with each; resolves when done. */
  typeFor(perSecond: number, ms: number): Promise<void>;
  /** Sends raw bytes to every connected peer on y-webrtc's channel. */
  sendRaw(data: Uint8Array): Promise<void>;
  /** Sends `times` awareness queries to each connected peer at once. */
  query(times: number): Promise<void>;
}

async function startOne(args: NodeSyncMemberArgs): Promise<NodeSyncMember> {
  const { child } = await forkReady(ENTRY, args);
  const ask = <T>(request: NodeSyncMemberRequest, answer: string, timeoutMs = ANSWER_TIMEOUT_MS) => {
    const reply = nextMessage<T>(child, answer, timeoutMs, args.name);
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
    drop: async (options = {}) => {
      await ask({ type: 'drop', ...options }, 'dropped');
    },
    mute: async (from) => {
      await ask({ type: 'mute', from }, 'muted');
    },
    typeFor: async (perSecond, ms) => {
      await ask({ type: 'type-for', perSecond, ms }, 'typed-for', 2 * ms + ANSWER_TIMEOUT_MS);
    },
    sendRaw: async (data) => {
      await ask({ type: 'send-raw', data: Buffer.from(data).toString('base64') }, 'sent-raw');
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

/** Asks each to leave and exit; kills what has not exited in time. */
export function stopNodeSyncMembers(members: readonly NodeSyncMember[]): Promise<void> {
  return stopChildren(members.map((member) => member.process));
}

/** Polls `check` every 50 ms until it holds; throws with `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
