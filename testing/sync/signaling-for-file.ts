/**
 * One signaling server on loopback for a test file whose Node sync members
 * (node-sync-members.ts) find each other through it: started before the file's
 * tests, and stopped after them together with every member the file listed in
 * `started` (a test that fails half-way leaves no process behind).
 *
 * @example
 *   const file = signalingForFile();
 *   const members = await startNodeSyncMembers(file.url(), 'room1', ['a', 'b']);
 *   file.started.push(...members);
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createLogger } from '../../server/log.ts';
import { SignalingServer } from '../../server/signaling.ts';
import { type NodeSyncMember, stopNodeSyncMembers } from './node-sync-members.ts';

export interface FileSignaling {
  /** The server's URL (`ws://127.0.0.1:<port>/signal`) once the file's tests run. */
  url(): string;
  /** Members stopped after the file's tests. */
  readonly started: NodeSyncMember[];
}

export function signalingForFile(): FileSignaling {
  const httpServer = createServer();
  const signaling = new SignalingServer(createLogger('error', () => {}));
  httpServer.on('upgrade', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  let url = '';
  const started: NodeSyncMember[] = [];
  beforeAll(async () => {
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/signal`;
  });
  afterAll(async () => {
    await stopNodeSyncMembers(started);
    signaling.close();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  });
  return { url: () => url, started };
}
