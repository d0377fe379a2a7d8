// The entry point as people run it: env in, URL and room link out, graceful stop.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closed, fakeAppDir, openSocket } from './test/helpers.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function startMain(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'main.ts')], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      STATIC_DIR: fakeAppDir(),
      // Its own store, so the test never touches the checkout's data/ folder.
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'holoroom-main-')),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${output}`)), 15_000);
    child.stdout?.on('data', () => {
      const match = /listening on (\S+)/.exec(output);
      if (match?.[1] && /Share this room/.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output, url: match[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${output}`));
    });
  });
}

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('server entry point', () => {
  it('prints its URL and a ready-to-share room link, and stops gracefully on SIGTERM', async () => {
    const { child, output, url } = await startMain({});
    expect(output()).toMatch(/Share this room: http:\/\/127\.0\.0\.1:\d+\/r\/[a-z2-9]{16}/);
    const socket = await openSocket(`${url.replace('http', 'ws')}/signal`);
    const socketClosed = closed(socket);
    const exited = exitCode(child);
    child.kill('SIGTERM');
    expect((await socketClosed).code).toBe(1001);
    expect(await exited).toBe(0);
  });

  it('refuses to start with a malformed variable, naming it', async () => {
    await expect(startMain({ PORT: 'x' })).rejects.toThrow(/Configuration error: PORT must be an integer/);
  });

  it('says plainly when its port is taken, instead of a stack trace', async () => {
    const first = await startMain({});
    const port = new URL(first.url).port;
    await expect(startMain({ PORT: port })).rejects.toThrow(
      new RegExp(`exited 2: Cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`),
    );
  });

  it('serves HTTPS when HTTPS_CERT and HTTPS_KEY are set (a headset on the LAN needs a secure context)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'holoroom-tls-'));
    const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const { url } = await startMain({ HTTPS_CERT: cert, HTTPS_KEY: key });
    expect(url).toMatch(/^https:\/\//);
    const status = await new Promise<number>((resolve, reject) => {
      request(`${url}/config.json`, { rejectUnauthorized: false }, (res) => resolve(res.statusCode ?? 0))
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
  });
});
