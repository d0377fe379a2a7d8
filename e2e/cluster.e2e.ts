// Cluster mode in real browsers (docs/scaling.md CL4, CL11, CL17): three built
// instances on one real Redis, and two real HAProxy load balancers that fill
// the first live instance of their list: Alice comes in through one (instance
// A first), Bob through the other (instance B first), so every path between
// them crosses instances. Then A is killed with SIGKILL mid-session.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type LoadBalancer, type RedisProcess, startHaproxy, startRedis } from '../server/cluster/test-redis.ts';
import { connectTestClient, eventually } from '../server/test/sync-client.ts';
import { launchBrowser, newContext, peerConnectionStates, waitUntil, watchPage } from './harness/browser.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';

let redis: RedisProcess;
let nodes: ServerProcess[] = [];
let balancers: LoadBalancer[] = [];
let browser: Browser;

beforeAll(async () => {
  redis = await startRedis({ appendfsync: 'everysec' });
  nodes = await Promise.all(
    [0, 1, 2].map(() => startServerProcess({ env: { REDIS_URL: redis.url, TRUST_PROXY: '1' } })),
  );
  const [a, b, c] = nodes.map((node) => node.url) as [string, string, string];
  balancers = await Promise.all([startHaproxy([a, b, c], 'first'), startHaproxy([b, c, a], 'first')]);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const balancer of balancers) await balancer.stop();
  for (const node of nodes) await node.stop();
  await redis?.stop();
});

async function presenceNames(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="presence-list"] li')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-peer-name') ?? ''));
}

const scriptOf = (page: Page) => page.evaluate(() => window.__holoroom?.session?.room.scriptText() ?? '');
const serverSynced = (page: Page) => page.evaluate(() => window.__holoroom?.session?.server?.synced === true);

test('[CL4][CL11][CL17] browsers on different instances meet over WebRTC and share the room; a killed instance\u2019s browser carries on through the load balancer', async () => {
  const room = `e2ecluster${Date.now().toString(36)}`;
  const [lbA, lbB] = balancers as [LoadBalancer, LoadBalancer];
  const [instanceA, , instanceC] = nodes as [ServerProcess, ServerProcess, ServerProcess];
  const alice = await (await newContext(browser, { name: 'Alice', color: '#ef476f' })).newPage();
  const bob = await (await newContext(browser, { name: 'Bob', color: '#06d6a0' })).newPage();
  const watch = watchPage(alice);
  await Promise.all([alice.goto(`${lbA.url}/r/${room}`), bob.goto(`${lbB.url}/r/${room}`)]);

  // Signaling crossed instances (A and B): the two pages found each other and connected directly.
  await waitUntil(
    async () => (await presenceNames(alice)).includes('Bob') && (await presenceNames(bob)).includes('Alice'),
    30_000,
    async () => `A sees ${await presenceNames(alice)}, B sees ${await presenceNames(bob)}; ${watch.errors.join('; ')}`,
  );
  await waitUntil(
    async () =>
      (await peerConnectionStates(alice)).includes('connected') &&
      (await peerConnectionStates(bob)).includes('connected'),
    20_000,
    async () => `states A=${await peerConnectionStates(alice)} B=${await peerConnectionStates(bob)}`,
  );

  // The document goes through Redis: a client straight on instance C sees Alice's edit, made on A.
  const observer = connectTestClient(instanceC.url, room);
  try {
    await observer.synced(10_000);
    await waitUntil(
      () => serverSynced(alice),
      15_000,
      async () => 'alice never synced with the server',
    );
    await alice.evaluate(() => window.__holoroom?.session?.room.editScript(0, 0, '// from Alice on A\n'));
    await eventually(
      () => observer.doc.getText('script').toString().includes('from Alice on A'),
      10_000,
      () => 'the edit did not reach instance C',
    );

    // kill -9 of Alice's instance: her page reconnects through its load balancer (to B) and carries on.
    await instanceA.kill();
    const killedAt = Date.now();
    await waitUntil(
      async () => !(await serverSynced(alice)),
      10_000,
      async () => 'alice never noticed',
    );
    await waitUntil(
      () => serverSynced(alice),
      10_000,
      async () => 'alice did not come back',
    );
    const backMs = Date.now() - killedAt;
    console.log(`browser sync back ${backMs} ms after kill -9`);
    await alice.evaluate(() => window.__holoroom?.session?.room.editScript(0, 0, '// after the kill\n'));
    await eventually(
      () => observer.doc.getText('script').toString().includes('after the kill'),
      10_000,
      () => 'the edit after the kill did not reach instance C',
    );
    await waitUntil(
      async () => (await scriptOf(bob)).includes('after the kill'),
      10_000,
      async () => `bob has ${await scriptOf(bob)}`,
    );
    // Nothing acknowledged before the kill is missing anywhere.
    expect(await scriptOf(bob)).toContain('from Alice on A');
    expect(observer.doc.getText('script').toString()).toContain('from Alice on A');
    expect(backMs).toBeLessThan(10_000);
  } finally {
    observer.destroy();
  }
});
