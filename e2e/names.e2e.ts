// Names bound to session keys in real browsers (docs/roles.md PNAME1-PNAME6,
// room-doc.md PRES6): the owner, Alice and Mallory in three browser contexts
// of a protected room, over real WebRTC (which relays every peer's awareness
// entries) and the server. Mallory forges Alice's name through her page's real
// awareness three ways: she publishes Alice's whole entry (name, session,
// signature) as her own; she rewrites the entry of Alice's own client id with
// a name signed by her own key; she names herself Alice. The owner's and
// Alice's lists and avatar tags never show Mallory as Alice, and the owner's
// "Remove" on Mallory's row removes Mallory's session, not Alice's.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { peerConnectionStates, waitUntil } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';
import { connectedPeers, createProtectedRoomFromStartPage, openPersonPage, SLOW_PAGE_MS } from './roles-helpers.ts';

const suite = browserSuite();
const TEST_TIMEOUT_MS = 300_000;
/** docs/roles.md PNAME3. */
const UNVERIFIED_NAME = 'Unverified guest';
/** The awareness clock Mallory's rewrite of Alice's entry claims: far above Alice's own. */
const FORGED_CLOCK = 1_000_000;

interface Row {
  peerId: number;
  name: string;
  check: string;
  session: string;
  fingerprint: string;
}

/** The presence list as the page shows it. */
const rows = (page: Page): Promise<Row[]> =>
  page.locator('[data-testid="presence-list"] li').evaluateAll((items) =>
    items.map((li) => ({
      peerId: Number(li.dataset.peerId),
      name: li.dataset.peerName ?? '',
      check: li.dataset.nameCheck ?? '',
      session: li.dataset.peerSession ?? '',
      fingerprint: li.querySelector('[data-testid="peer-fingerprint"]')?.textContent ?? '',
    })),
  );

/** The name tags of the avatars the page draws, by peer id. */
const tags = (page: Page) =>
  page.evaluate(() => (window.__holoroom?.avatars() ?? []).map((a) => ({ peerId: a.peerId as number, name: a.name })));

const clientIdOf = (page: Page) => page.evaluate(() => window.__holoroom?.session?.awareness.clientID ?? -1);
const sessionOf = (page: Page) =>
  page.evaluate(() => (localStorage.getItem('holoroom.session-key') ?? '').split('.')[0] ?? '');
/** PNAME4: the first 4 bytes of the session key, in hex. */
const fingerprintOf = (session: string) => Buffer.from(session, 'base64url').subarray(0, 4).toString('hex');

/** Nothing `page` shows (list or avatar tag) presents Mallory's client id, or her session, under Alice's name. */
async function neverMalloryAsAlice(page: Page, mallory: { clientId: number; session: string }, alice: string) {
  const listed = await rows(page);
  for (const row of listed) {
    if (row.peerId === mallory.clientId || row.session === mallory.session) {
      expect(row.name === 'Alice' && row.fingerprint === '', JSON.stringify(listed)).toBe(false);
    }
    if (row.name === 'Alice' && row.fingerprint === '') expect(row.session).toBe(alice);
  }
  for (const tag of await tags(page)) {
    if (tag.peerId === mallory.clientId) expect(tag.name).not.toBe('Alice');
  }
}

test(
  '[PNAME3] [PNAME4] [PNAME6] [PRES6] a page forging another person’s name is never shown as that person, in lists or on avatars; the owner’s Remove names its own session',
  async () => {
    const owner = await openPersonPage(suite, 'Owner');
    await owner.page.setViewportSize({ width: 960, height: 600 });
    const links = await createProtectedRoomFromStartPage(suite, owner.page);
    await owner.page.goto(links.ownerLink);
    const alice = await openPersonPage(suite, 'Alice');
    await alice.page.goto(links.editorLink);
    const mallory = await openPersonPage(suite, 'Mallory');
    await mallory.page.setViewportSize({ width: 960, height: 600 }); // wide enough to show the name field
    await mallory.page.goto(links.viewerLink);
    for (const { page } of [owner, alice, mallory]) {
      await waitUntil(
        async () => (await connectedPeers(page)) >= 2,
        SLOW_PAGE_MS,
        async () => `peer connection states ${await peerConnectionStates(page)}`,
      );
    }
    const who = {
      alice: { clientId: await clientIdOf(alice.page), session: await sessionOf(alice.page) },
      mallory: { clientId: await clientIdOf(mallory.page), session: await sessionOf(mallory.page) },
    };
    // Everyone's name verifies (PNAME1), and avatars carry presence's names.
    for (const page of [owner.page, alice.page]) {
      await waitUntil(
        async () => {
          const names = (await rows(page)).filter((r) => r.check === 'verified').map((r) => r.name);
          const drawn = (await tags(page)).map((t) => t.name);
          return names.includes('Mallory') && drawn.includes('Mallory');
        },
        SLOW_PAGE_MS,
        async () => `list ${JSON.stringify(await rows(page))}, tags ${JSON.stringify(await tags(page))}`,
      );
    }
    expect((await rows(owner.page)).find((r) => r.name === 'Alice')?.session).toBe(who.alice.session);

    // 1. Mallory publishes Alice's whole entry as her own: a copied signature, bound to Alice's client id.
    await mallory.page.evaluate(
      (user) => {
        window.__holoroom?.session?.awareness.setLocalStateField('user', user);
      },
      await alice.page.evaluate(() => window.__holoroom?.session?.awareness.getLocalState()?.user),
    );
    for (const page of [owner.page, alice.page]) {
      await waitUntil(
        async () => {
          const row = (await rows(page)).find((r) => r.peerId === who.mallory.clientId);
          const tag = (await tags(page)).find((t) => t.peerId === who.mallory.clientId);
          return row?.name === UNVERIFIED_NAME && tag?.name === UNVERIFIED_NAME;
        },
        SLOW_PAGE_MS,
        async () => `list ${JSON.stringify(await rows(page))}, tags ${JSON.stringify(await tags(page))}`,
      );
      const row = (await rows(page)).find((r) => r.peerId === who.mallory.clientId);
      expect(row).toMatchObject({ check: 'unverified', session: '' });
      await neverMalloryAsAlice(page, who.mallory, who.alice.session);
    }
    // PNAME6: an unverified row names no session, so the owner is offered no "Remove" for it.
    expect(
      await owner.page.locator(`li[data-peer-id="${who.mallory.clientId}"]`).getByTestId('peer-remove').count(),
    ).toBe(0);

    // 2. Mallory rewrites Alice's own entry (Alice's client id, a far higher clock) with "Alice" signed by her own key,
    //    and sends it to her peers on her real y-webrtc connections.
    await mallory.page.evaluate(
      async ({ aliceId, clock }) => {
        const session = window.__holoroom?.session;
        const key = session?.sessionKey;
        const owner = session?.credential?.ownerPublicKey;
        if (!session || !key || !owner) throw new Error('not a protected room page');
        const name = new TextEncoder().encode('Alice');
        const tag = new TextEncoder().encode('holoroom/name/1');
        const statement = new Uint8Array(tag.length + 64 + 9 + name.length);
        statement.set(tag, 0);
        statement.set(owner, 15);
        statement.set(key.publicKey, 47);
        const view = new DataView(statement.buffer);
        view.setUint32(79, aliceId, true);
        view.setUint32(83, 1, true);
        statement[87] = name.length;
        statement.set(name, 88);
        // This page has Ed25519 in WebCrypto, so its session signs with a CryptoKey (ROLE12).
        if (!(key.signer instanceof CryptoKey)) throw new Error('expected a WebCrypto session key');
        const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', key.signer, statement));
        const proof = new Uint8Array(69);
        proof[0] = 1;
        new DataView(proof.buffer).setUint32(1, 1, true);
        proof.set(signature, 5);
        const base64url = (bytes: Uint8Array) =>
          btoa(String.fromCharCode(...bytes))
            .replaceAll('+', '-')
            .replaceAll('/', '_')
            .replace(/=+$/, '');
        const awareness = session.awareness;
        awareness.states.set(aliceId, {
          user: {
            name: 'Alice',
            color: '#ef476f',
            inXR: false,
            away: false,
            session: base64url(key.publicKey),
            nameProof: base64url(proof),
          },
        });
        awareness.meta.set(aliceId, { clock, lastUpdated: Date.now() });
        // y-webrtc sends every changed entry to every peer on an 'update'.
        awareness.emit('update', [{ added: [], updated: [aliceId], removed: [] }, 'local']);
      },
      { aliceId: who.alice.clientId, clock: FORGED_CLOCK },
    );
    // While the rewrite and Alice's answer travel, nobody shows Mallory as Alice.
    const watchUntil = Date.now() + 3_000;
    while (Date.now() < watchUntil) {
      await neverMalloryAsAlice(owner.page, who.mallory, who.alice.session);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // PRES6: Alice's page put its own entry back above the forged clock, and the owner shows her, verified.
    expect(
      await alice.page.evaluate(
        (id) => window.__holoroom?.session?.awareness.meta.get(id)?.clock ?? 0,
        who.alice.clientId,
      ),
    ).toBeGreaterThan(FORGED_CLOCK);
    await waitUntil(
      async () => {
        const row = (await rows(owner.page)).find((r) => r.peerId === who.alice.clientId);
        return row?.name === 'Alice' && row.session === who.alice.session;
      },
      SLOW_PAGE_MS,
      async () => `list ${JSON.stringify(await rows(owner.page))}`,
    );

    // 3. Mallory names herself Alice with her own key (through the name field): both show, told apart.
    const nameField = mallory.page.getByLabel('Your name');
    await nameField.fill('Alice');
    await nameField.press('Enter');
    const fingerprints = [fingerprintOf(who.alice.session), fingerprintOf(who.mallory.session)];
    expect(fingerprints[0]).not.toBe(fingerprints[1]);
    await waitUntil(
      async () => {
        const alices = (await rows(owner.page)).filter((r) => r.name === 'Alice');
        const drawn = (await tags(owner.page)).map((t) => t.name).sort();
        return (
          alices.length === 2 &&
          alices.every((r) => r.fingerprint === fingerprintOf(r.session)) &&
          JSON.stringify(drawn.filter((n) => n.startsWith('Alice'))) ===
            JSON.stringify(fingerprints.map((f) => `Alice · ${f}`).sort())
        );
      },
      SLOW_PAGE_MS,
      async () => `list ${JSON.stringify(await rows(owner.page))}, tags ${JSON.stringify(await tags(owner.page))}`,
    );
    const malloryRow = (await rows(owner.page)).find((r) => r.peerId === who.mallory.clientId);
    expect(malloryRow).toMatchObject({ session: who.mallory.session, fingerprint: fingerprints[1] });
    // Alice's own list shows the other Alice with Mallory's fingerprint (her own name counts, PNAME4).
    await waitUntil(
      async () => (await rows(alice.page)).some((r) => r.name === 'Alice' && r.fingerprint === fingerprints[1]),
      SLOW_PAGE_MS,
      async () => `Alice's list ${JSON.stringify(await rows(alice.page))}`,
    );

    // PNAME6: the owner removes the second Alice by her row: the kick names Mallory's verified session.
    await owner.page.locator(`li[data-peer-id="${who.mallory.clientId}"]`).getByTestId('peer-remove').click();
    await mallory.page.getByTestId('removed-notice').waitFor({ timeout: SLOW_PAGE_MS });
    const kicked = await owner.page.evaluate(() => [...(window.__holoroom?.session?.moderation?.kicked.get() ?? [])]);
    expect(kicked).toEqual([who.mallory.session]);
    expect(await alice.page.getByTestId('removed-notice').count()).toBe(0);
    await waitUntil(
      async () => (await rows(owner.page)).map((r) => r.name).join() === 'Alice',
      SLOW_PAGE_MS,
      async () => `list ${JSON.stringify(await rows(owner.page))}`,
    );
    for (const { errors } of [owner, alice]) expect(errors).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);
