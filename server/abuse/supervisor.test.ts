// SEC5: the last line of defence. Whatever kills the server process, the
// supervisor under `npm start` starts it again within a second, says so, and
// nothing the server had acknowledged is lost.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAppDir } from '../test/helpers.ts';
import { connectTestClient, eventually } from '../test/sync-client.ts';
import { healthzMs } from './harness.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('abuse: the supervisor', () => {
  it('[SEC5] restarts a server that died within a second, logs it, and keeps what was acknowledged', async () => {
    const port = await freePort();
    const supervisor = spawn(
      process.execPath,
      ['scripts/lib/supervise.mjs', '--import', 'tsx', path.join('server', 'main.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          STATIC_DIR: fakeAppDir(),
          DATA_DIR: mkdtempSync(path.join(tmpdir(), 'holoroom-supervised-')),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    running.push(supervisor);
    let output = '';
    supervisor.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    supervisor.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const pids = () => [...output.matchAll(/server started \(pid (\d+)/g)].map((m) => Number(m[1]));
    const base = `http://127.0.0.1:${port}`;
    await eventually(
      () => /listening on/.test(output),
      20_000,
      () => `no start: ${output}`,
    );

    // A is acknowledged once B has it: the server relays only what is on disk (RS10).
    const a = connectTestClient(base, 'supervisedroom1');
    const b = connectTestClient(base, 'supervisedroom1');
    await Promise.all([a.synced(), b.synced()]);
    a.doc.getText('script').insert(0, 'acknowledged');
    await eventually(
      () => b.doc.getText('script').toString() === 'acknowledged',
      5_000,
      () => 'B never got it',
    );
    a.destroy();
    b.destroy();

    // Something kills the server outright (a crash, the OOM killer).
    const [first] = pids();
    const killedAt = Date.now();
    process.kill(first as number, 'SIGKILL');
    await eventually(
      () => pids().length === 2,
      2_000,
      () => `no restart: ${output}`,
    );
    expect(Date.now() - killedAt).toBeLessThan(1_000);
    expect(output).toMatch(/server exited \(signal SIGKILL\); restarting in \d+ ms/);
    await eventually(
      () => output.split('listening on').length === 3,
      20_000,
      () => `not listening: ${output}`,
    );
    expect(await healthzMs(base)).toBeLessThan(2_000);

    const c = connectTestClient(base, 'supervisedroom1');
    await c.synced();
    expect(c.doc.getText('script').toString()).toBe('acknowledged');
    c.destroy();

    // SIGTERM stops the server and then the supervisor, cleanly.
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));
    supervisor.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
