import { Quaternion, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { object, peer } from '../../../testing/ids.ts';
import { at, meet, sync, testPage } from '../../../testing/interaction/grab-pages.ts';
import { concurrentClaimWinner } from './ownership.ts';

describe('GrabCoordinator', () => {
  it('[GRAB1] a grab claims the object in the room document and runs its grab handler', () => {
    const a = testPage(5);
    expect(a.grabs.grab('xr-right', object('Crate'), at(0, 1, 0), at(0, 1, -0.1))).toBe('held');
    expect(a.room.getObjectState('Crate')?.owner).toBe(5);
    expect(a.events).toEqual(['grab:Crate']);
    expect(a.grabs.isLocal(object('Crate'))).toBe(true);
  });

  it('[GRAB1] an object held by another present person cannot be grabbed; one that is not grabbable neither', () => {
    const a = testPage(5);
    const b = testPage(9);
    meet(a, b);
    a.grabs.grab('pointer', object('Crate'), at(0, 1, 0), at(0, 1, 0));
    sync(a, b);
    expect(b.grabs.grab('xr-left', object('Crate'), at(0, 1, 0), at(0, 1, 0))).toBe('taken');
    expect(b.room.getObjectState('Crate')?.owner).toBe(5);
    expect(b.grabs.grab('xr-left', object('Wall'), at(0, 1, 0), at(0, 1, 0))).toBe('not-grabbable');
    expect(b.grabs.grab('xr-left', object('Unknown'), at(0, 1, 0), at(0, 1, 0))).toBe('not-grabbable');
    expect(b.events).toEqual([]);
  });

  for (const [first, second] of [
    [5, 9],
    [9, 5],
  ] as const) {
    it(`[GRAB2] two grabs at the same moment (ids ${first} and ${second}) end with one owner, the higher id, and the other lets go`, () => {
      const a = testPage(first);
      const b = testPage(second);
      meet(a, b);
      // Both grab before either sees the other's claim.
      expect(a.grabs.grab('xr-right', object('Crate'), at(0, 1, 0), at(0, 1, 0))).toBe('held');
      expect(b.grabs.grab('pointer', object('Crate'), at(0, 1, 0), at(0, 1, 0))).toBe('held');
      a.grabs.frame(16);
      b.grabs.frame(16);
      sync(a, b);
      const winner = concurrentClaimWinner([peer(first), peer(second)]);
      expect(winner).toBe(Math.max(first, second));
      for (const page of [a, b]) expect(page.room.getObjectState('Crate')?.owner).toBe(winner);
      const [won, lost] = winner === a.id ? [a, b] : [b, a];
      expect(won.grabs.isLocal(object('Crate'))).toBe(true);
      expect(lost.grabs.isLocal(object('Crate'))).toBe(false);
      expect(lost.grabs.stats.lost).toBe(1);
      // The loser stopped streaming and wrote nothing: no release, no transform.
      expect(lost.ended).toContain('Crate');
      expect(lost.events).toEqual(['grab:Crate']);
      expect(won.room.getObjectState('Crate')?.transform).toBeUndefined();
      // The winner goes on and its release is what everyone keeps.
      won.grabs.move(won.grabs.holding('xr-right') ? 'xr-right' : 'pointer', at(2, 1, 0));
      won.grabs.release(won.grabs.holding('xr-right') ? 'xr-right' : 'pointer');
      sync(a, b);
      for (const page of [a, b]) {
        expect(page.room.getObjectState('Crate')?.owner).toBeNull();
        expect(page.room.getObjectState('Crate')?.transform?.position).toEqual([2, 1, 0]);
      }
    });
  }

  it('[GRAB3] while held the object streams every frame and the document is not written', () => {
    const a = testPage(5);
    a.grabs.grab('xr-right', object('Crate'), at(0, 1, 0), at(0, 1, -0.2));
    const updates: number[] = [];
    a.doc.on('update', (update: Uint8Array) => updates.push(update.length));
    for (let i = 1; i <= 10; i++) {
      a.clock.t += 16;
      a.grabs.move('xr-right', at(i * 0.1, 1, 0));
      a.grabs.frame(16);
      expect(a.streamed.get('Crate')?.position.x).toBeCloseTo(i * 0.1);
      // The object keeps its offset from the hand.
      expect(a.streamed.get('Crate')?.position.z).toBeCloseTo(-0.2);
    }
    expect(updates).toEqual([]);
  });

  it('[GRAB4][GRAB8] release writes the final pose and clears the owner in one transaction, ends the stream and runs release', () => {
    const a = testPage(5);
    const b = testPage(9);
    meet(a, b);
    const turned = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), Math.PI / 2);
    a.grabs.grab('xr-right', object('Crate'), at(0, 1, 0), at(0, 1, 0));
    a.grabs.move('xr-right', at(1.5, 0.8, -2, turned));
    const transactions: number[] = [];
    a.doc.on('afterTransaction', () => transactions.push(1));
    a.grabs.release('xr-right');
    expect(transactions).toHaveLength(1);
    expect(a.ended).toEqual(['Crate']);
    expect(a.events).toEqual(['grab:Crate', 'release:Crate']);
    sync(a, b);
    const state = b.room.getObjectState('Crate');
    expect(state?.owner).toBeNull();
    expect(state?.transform).toEqual({ position: [1.5, 0.8, -2], rotation: [0, 90, 0], scale: [1, 1, 1] });
  });

  it('[GRAB6] when the holder leaves, the object is free at once and the lowest present id writes the last streamed pose', () => {
    const a = testPage(5);
    const b = testPage(9);
    const c = testPage(12);
    meet(a, b, c);
    a.grabs.grab('xr-right', object('Crate'), at(0, 1, 0), at(0, 1, 0));
    sync(a, b);
    sync(a, c);
    b.lastSeen.set('Crate', at(3, 1, 1));
    c.lastSeen.set('Crate', at(3, 1, 1));
    // A's page vanishes without releasing.
    for (const page of [b, c]) page.present.delete(peer(5));
    for (const page of [b, c]) page.grabs.frame(16);
    // Free for everyone at once, before anyone cleaned up.
    expect(c.grabs.grab('pointer', object('Crate'), at(0, 0, 0), at(0, 0, 0))).toBe('held');
    c.grabs.release('pointer', false);
    sync(b, c);
    expect(b.room.getObjectState('Crate')?.owner).toBeNull();

    // Again, this time nobody grabs: only B (the lowest present id) clears it, after the grace period.
    const d = testPage(3);
    meet(d, b, c);
    sync(d, b);
    d.grabs.grab('xr-left', object('Crate'), at(0, 1, 0), at(0, 1, 0));
    sync(d, b);
    sync(d, c);
    for (const page of [b, c]) page.present.delete(peer(3));
    for (const page of [b, c]) {
      page.grabs.checkDepartures(page.clock.t);
      page.clock.t += 1000;
      page.grabs.checkDepartures(page.clock.t);
      expect(page.room.getObjectState('Crate')?.owner).toBe(3);
      page.clock.t += 1500;
      page.grabs.checkDepartures(page.clock.t);
    }
    expect(b.grabs.stats.cleaned).toBe(1);
    expect(c.grabs.stats.cleaned).toBe(0);
    sync(b, c);
    expect(c.room.getObjectState('Crate')?.owner).toBeNull();
    expect(c.room.getObjectState('Crate')?.transform?.position).toEqual([3, 1, 1]);
  });

  it('[ROOM15] the claims of everyone who left are cleared in one transaction of the room document', () => {
    const a = testPage(5);
    const objects = Array.from({ length: 100 }, (_, i) => object(`Crate${i}`));
    // A hundred objects held by twenty people who are not in the room any more (a room's copy from the server).
    a.room.transact(() => {
      for (const [i, id] of objects.entries()) a.room.setOwner(id, peer(100 + (i % 20)));
    });
    a.lastSeen.set('Crate0', at(3, 1, 1));
    a.grabs.checkDepartures(a.clock.t);
    let transactions = 0;
    a.doc.on('afterTransaction', () => transactions++);
    a.clock.t += 2500;
    a.grabs.checkDepartures(a.clock.t);
    expect(transactions).toBe(1);
    expect(a.grabs.stats.cleaned).toBe(100);
    expect([...a.room.owners()]).toEqual([]);
    expect(a.room.getObjectState('Crate0')?.transform?.position).toEqual([3, 1, 1]);
  });

  it('[GRAB7] a holder whose claim was cleared by a page that thought it had left claims again', () => {
    const a = testPage(5);
    const b = testPage(9);
    meet(a, b);
    a.grabs.grab('xr-right', object('Crate'), at(0, 1, 0), at(0, 1, 0));
    sync(a, b);
    b.room.setOwner(object('Crate'), null);
    sync(a, b);
    expect(a.grabs.isLocal(object('Crate'))).toBe(true);
    expect(a.grabs.stats.reclaims).toBe(1);
    sync(a, b);
    expect(b.room.getObjectState('Crate')?.owner).toBe(5);
  });

  it('[GRAB4] letting go where it was picked up (a click on a grabbable object) only frees it', () => {
    const a = testPage(5);
    a.grabs.grab('pointer', object('Crate'), at(0, 1, 0), at(0, 1, -0.5));
    a.grabs.move('pointer', at(0, 1, 0));
    a.grabs.release('pointer', false);
    expect(a.room.getObjectState('Crate')).toMatchObject({ owner: null });
    expect(a.room.getObjectState('Crate')?.transform).toBeUndefined();
  });

  it('[GRAB9] a second hand takes the object over without a new claim or handler', () => {
    const a = testPage(5);
    a.grabs.grab('xr-right', object('Crate'), at(0, 1, 0), at(0, 1, -0.1));
    expect(a.grabs.grab('xr-left', object('Crate'), at(0.2, 1, 0), at(0, 1, -0.1))).toBe('held');
    expect(a.grabs.holding('xr-right')).toBeUndefined();
    expect(a.grabs.holding('xr-left')).toBe('Crate');
    expect(a.grabs.stats.claims).toBe(1);
    expect(a.events).toEqual(['grab:Crate']);
    // The left hand's own offset: moving it by +1 x moves the object by +1 x.
    expect(a.grabs.move('xr-left', at(1.2, 1, 0))?.position.toArray()).toEqual([1, 1, -0.1]);
  });

  it('[THROW2] a @throwable let go fast flies, still owned and streamed, and lands where everyone sees it', () => {
    const a = testPage(5);
    a.grabs.grab('xr-right', object('Ball'), at(0, 1.5, 0), at(0, 1.5, 0), 0.1);
    for (let i = 1; i <= 6; i++) {
      a.clock.t += 16;
      a.grabs.move('xr-right', at(i * 0.016 * 3, 1.5 + i * 0.016 * 2, 0));
    }
    a.grabs.release('xr-right');
    expect(a.grabs.stats.throws).toBe(1);
    expect(a.events).toEqual(['grab:Ball', 'release:Ball']);
    expect(a.room.getObjectState('Ball')?.owner).toBe(5);
    let frames = 0;
    while (a.grabs.isLocal(object('Ball')) && frames < 1000) {
      a.clock.t += 16;
      a.grabs.frame(16);
      frames++;
    }
    const state = a.room.getObjectState('Ball');
    expect(state?.owner).toBeNull();
    // Flew forward (+x) from ~0.3 m and rests with its bottom on the floor.
    expect(state?.transform?.position[0]).toBeGreaterThan(1);
    expect(state?.transform?.position[1]).toBeCloseTo(0.1, 3);
    expect(a.ended).toEqual(['Ball']);
  });

  it('[THROW4] a slow release of a @throwable, or one with throwing off, just puts it down', () => {
    const a = testPage(5);
    a.grabs.grab('pointer', object('Ball'), at(0, 1.5, 0), at(0, 1.5, 0));
    a.clock.t += 16;
    a.grabs.move('pointer', at(0.5, 1.5, 0));
    a.grabs.release('pointer', false);
    expect(a.grabs.stats.throws).toBe(0);
    expect(a.room.getObjectState('Ball')?.transform?.position).toEqual([0.5, 1.5, 0]);
    a.grabs.grab('xr-right', object('Ball'), at(0, 1.5, 0), at(0, 1.5, 0));
    a.clock.t += 500;
    a.grabs.move('xr-right', at(0.01, 1.5, 0));
    a.grabs.release('xr-right');
    expect(a.grabs.stats.throws).toBe(0);
  });

  it('caught in flight it stays ours: no second claim', () => {
    const a = testPage(5);
    a.grabs.grab('xr-right', object('Ball'), at(0, 1.5, 0), at(0, 1.5, 0));
    a.clock.t += 16;
    a.grabs.move('xr-right', at(0.1, 1.6, 0));
    a.grabs.release('xr-right');
    a.grabs.frame(16);
    expect(a.grabs.grab('xr-left', object('Ball'), at(0.2, 1.6, 0), at(0.2, 1.6, 0))).toBe('held');
    expect(a.grabs.stats.claims).toBe(1);
    expect(a.room.getObjectState('Ball')?.owner).toBe(5);
  });

  it('a held object the scene stops drawing is let go without a pose; its claim is cleared', () => {
    const a = testPage(5);
    a.grabs.grab('pointer', object('Crate'), at(0, 1, 0), at(0, 1, 0));
    a.grabs.move('pointer', at(1, 1, 0));
    a.drawn.delete('Crate');
    a.grabs.frame(16);
    expect(a.grabs.isLocal(object('Crate'))).toBe(false);
    expect(a.ended).toEqual(['Crate']);
    expect(a.room.getObjectState('Crate')).toMatchObject({ owner: null });
    expect(a.room.getObjectState('Crate')?.transform).toBeUndefined();
  });

  it('releaseAll writes every held object where it is', () => {
    const a = testPage(5);
    a.grabs.grab('xr-right', object('Crate'), at(0, 1, 0), at(0, 1, 0));
    a.grabs.move('xr-right', at(0, 2, 0));
    a.grabs.destroy();
    expect(a.room.getObjectState('Crate')).toMatchObject({ owner: null, transform: { position: [0, 2, 0] } });
  });
});
