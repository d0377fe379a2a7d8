/**
 * Test and benchmark helpers for cluster mode: a real Redis (Debian's
 * `redis-server`) on a free loopback port with its own temporary directory,
 * and a real HAProxy in front of instances. Both are stopped by the PID
 * started here. `npm test` installs them (scripts/lib/setup.mjs); without
 * them these helpers stop with what to install.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REDIS_CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];
const HAPROXY_CANDIDATES = ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'];

function find(envName: string, candidates: string[], what: string): string {
  const fromEnv = process.env[envName];
  const found = fromEnv && existsSync(fromEnv) ? fromEnv : candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      `${what} is needed for the cluster tests and was not found: run npm test as root (it installs it) or apt-get install it`,
    );
  }
  return found;
}

/** A free TCP port on 127.0.0.1 (Redis and HAProxy cannot bind port 0 and report it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisProcess {
  url: string;
  port: number;
  dir: string;
  pid: number;
  /** SIGKILL (a crash); the directory stays for a restart. */
  kill(): Promise<void>;
  /** Starts again on the same port and directory (after kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** `appendonly yes` with this fsync policy; undefined: no persistence at all. */
  appendfsync?: 'always' | 'everysec';
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts `redis-server` on a free port with a fresh temporary directory; resolves once it accepts connections. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisProcess> {
  const binary = find('REDIS_SERVER_PATH', REDIS_CANDIDATES, 'redis-server');
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'holoroom-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--daemonize',
    'no',
    '--appendonly',
    options.appendfsync ? 'yes' : 'no',
    '--appendfsync',
    options.appendfsync ?? 'everysec',
    '--logfile',
    '',
  ];
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited ${code}:\n${output}`));
      });
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child.pid ?? -1;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    restart: launch,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface LoadBalancer {
  url: string;
  stop(): Promise<void>;
}

/**
 * HAProxy in front of `backends` (base URLs), as docs/scaling.md's recipe:
 * health checks every 250 ms, a failed connection retried on another server.
 * `balance`: `roundrobin` spreads clients; `first` fills the first live server.
 */
export async function startHaproxy(
  backends: string[],
  balance: 'roundrobin' | 'first' = 'roundrobin',
): Promise<LoadBalancer> {
  const binary = find('HAPROXY_PATH', HAPROXY_CANDIDATES, 'haproxy');
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'holoroom-haproxy-'));
  const config = path.join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, backends, balance));
  const child = spawn(binary, ['-f', config, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`haproxy did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The load balancer configuration docs/scaling.md shows, for backends on this machine. */
function haproxyConfig(port: number, backends: string[], balance: 'roundrobin' | 'first'): string {
  const servers = backends
    .map((base, i) => {
      const { host } = new URL(base);
      return `  server holoroom${i + 1} ${host} check inter 250ms fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down maxconn 2000`;
    })
    .join('\n');
  return `global
  maxconn 4000

defaults
  mode http
  timeout connect 250ms
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  retries 3
  option redispatch 1

frontend holoroom
  bind 127.0.0.1:${port}
  default_backend instances

backend instances
  balance ${balance}
  option httpchk GET /healthz
  option forwardfor
${servers}
`;
}
