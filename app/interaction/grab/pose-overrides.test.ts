import { describe, expect, it } from 'vitest';
import { object, peer } from '../../../testing/ids.ts';
import { at } from '../../../testing/interaction/grab-pages.ts';
import type { PeerId } from '../../core/ids.ts';
import type { SampleState } from '../../pose/receive/entity-track.ts';
import { copyPose, type Pose } from '../pose.ts';
import { PoseOverrides } from './pose-overrides.ts';

function setup() {
  const owners = new Map<string, PeerId | null>();
  const streams = new Map<string, Pose>();
  const local = new Map<string, Pose>();
  const overrides = new PoseOverrides({
    selfId: peer(1),
    ownerOf: (id) => owners.get(id) ?? null,
    sample: (id, target): SampleState => {
      const pose = streams.get(id);
      if (!pose) return 'empty';
      copyPose(target, pose);
      return 'interpolated';
    },
    forEachLocalPose: (visit) => {
      for (const [id, pose] of local) visit(object(id), pose);
    },
    isLocal: (id) => local.has(id),
  });
  const drawn: string[] = [];
  const sink = {
    apply: (id: string, pose: Pose) => drawn.push(`${id}@${pose.position.x}`),
    revert: (id: string) => drawn.push(`${id}:document`),
  };
  const frame = () => {
    drawn.length = 0;
    overrides.frame(sink);
    return [...drawn];
  };
  return { owners, streams, local, overrides, frame };
}

describe('PoseOverrides', () => {
  it('[GRAB10] draws a remote holder’s stream, keeps the last pose while the document still names them, then returns to the document', () => {
    const { owners, streams, overrides, frame } = setup();
    owners.set('Crate', peer(7));
    overrides.ownersChanged([object('Crate')]);
    expect(frame()).toEqual([]);
    streams.set('Crate', at(1, 0, 0));
    expect(frame()).toEqual(['Crate@1']);
    streams.set('Crate', at(2, 0, 0));
    expect(frame()).toEqual(['Crate@2']);
    // The stream ended (GONE arrived before the document's release).
    streams.delete('Crate');
    expect(frame()).toEqual(['Crate@2']);
    expect(overrides.lastStreamedPose(object('Crate'))?.position.x).toBe(2);
    // The release lands in the document.
    owners.set('Crate', null);
    overrides.ownersChanged([object('Crate')]);
    expect(frame()).toEqual(['Crate:document']);
    expect(frame()).toEqual([]);
    expect(overrides.isOverridden(object('Crate'))).toBe(false);
  });

  it('[GRAB10] the release can also arrive before the stream ends: the stream is drawn until it ends', () => {
    const { owners, streams, overrides, frame } = setup();
    owners.set('Crate', peer(7));
    overrides.ownersChanged([object('Crate')]);
    streams.set('Crate', at(3, 0, 0));
    frame();
    owners.set('Crate', null);
    overrides.ownersChanged([object('Crate')]);
    expect(frame()).toEqual(['Crate@3']);
    streams.delete('Crate');
    expect(frame()).toEqual(['Crate:document']);
  });

  it('[GRAB10] local holds win; a lost local hold goes back to the document until the winner’s stream comes', () => {
    const { owners, streams, local, overrides, frame } = setup();
    local.set('Ball', at(5, 0, 0));
    expect(frame()).toEqual(['Ball@5']);
    local.delete('Ball');
    owners.set('Ball', peer(9));
    overrides.ownersChanged([object('Ball')]);
    expect(frame()).toEqual(['Ball:document']);
    streams.set('Ball', at(6, 0, 0));
    expect(frame()).toEqual(['Ball@6']);
  });

  it('objects nobody holds cost nothing per frame', () => {
    const { owners, overrides, frame } = setup();
    for (let i = 0; i < 100; i++) owners.set(`o${i}`, i % 2 === 0 ? null : peer(1));
    overrides.ownersChanged([...owners.keys()].map(object));
    expect(frame()).toEqual([]);
  });
});
