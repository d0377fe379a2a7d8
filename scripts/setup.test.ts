import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashInputs, isFresh, writeStamp } from './lib/fresh.mjs';
import { ROOT, SetupError } from './lib/run.mjs';
import { ensureRedis, ensureWasmToolchain, findChromium } from './lib/setup.mjs';

describe('setup', () => {
  it('stops with a message naming what to install when no wasm32 Rust toolchain can be found or installed', async () => {
    const attempt = ensureWasmToolchain({ candidates: () => [], rustup: undefined, allowSystemInstall: false });
    await expect(attempt).rejects.toBeInstanceOf(SetupError);
    await expect(attempt).rejects.toThrow(/rustup target add wasm32-unknown-unknown/);
    await expect(attempt).rejects.toThrow(/apt-get install -y rustc cargo libstd-rust-dev-wasm32/);
  });

  it('finds this machine’s wasm32 toolchain', async () => {
    const toolchain = await ensureWasmToolchain({ allowSystemInstall: false, rustup: undefined });
    expect(toolchain.version).toMatch(/^rustc \d+\.\d+/);
  });

  it('stops with what to install when redis-server is missing and may not be installed', async () => {
    const saved = { path: process.env.REDIS_SERVER_PATH, noInstall: process.env.HOLOROOM_NO_SYSTEM_INSTALL };
    try {
      process.env.REDIS_SERVER_PATH = '/definitely/not/redis-server';
      process.env.HOLOROOM_NO_SYSTEM_INSTALL = '1';
      const attempt = ensureRedis();
      await expect(attempt).rejects.toBeInstanceOf(SetupError);
      await expect(attempt).rejects.toThrow(/apt-get install -y redis-server/);
    } finally {
      for (const [name, value] of [
        ['REDIS_SERVER_PATH', saved.path],
        ['HOLOROOM_NO_SYSTEM_INSTALL', saved.noInstall],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('honours CHROMIUM_PATH, and reports a missing one as missing', () => {
    const saved = process.env.CHROMIUM_PATH;
    try {
      process.env.CHROMIUM_PATH = '/definitely/not/chromium';
      expect(findChromium()).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});

describe('build freshness stamps', () => {
  it('changes the hash when an input changes and treats missing outputs as stale', () => {
    const a = hashInputs(['Cargo.toml'], ['x']);
    expect(hashInputs(['Cargo.toml'], ['x'])).toBe(a);
    expect(hashInputs(['Cargo.toml'], ['y'])).not.toBe(a);
    expect(hashInputs(['Cargo.toml', 'Cargo.lock'], ['x'])).not.toBe(a);
    const name = `test-${path.basename(mkdtempSync(path.join(tmpdir(), 'stamp-')))}`;
    writeStamp(name, a);
    expect(isFresh(name, a, ['Cargo.toml'])).toBe(true);
    expect(isFresh(name, 'other', ['Cargo.toml'])).toBe(false);
    expect(isFresh(name, a, ['no/such/output'])).toBe(false);
    rmSync(path.join(ROOT, 'build', '.stamps', name));
  });

  it('a second build right after the first rebuilds nothing', () => {
    const build = () => execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    build();
    expect(build()).not.toMatch(/== (building|installing)/);
  }, 600_000);
});
