/**
 * ROLE6 (docs/roles.md) on PeerRoles itself: peers wired by in-memory links
 * that speak y-protocols' sync the way y-webrtc does (answer step 1, pass on
 * every document update to every link), with real Ed25519 proofs. The
 * browser test (e2e/roles.e2e.ts) runs the same over real WebRTC.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { objectId, type PeerId } from '../../core/ids.ts';
import { RoomDoc } from '../doc/room-doc.ts';
import { type CreatedRoom, createProtectedRoom, editorHash, mintEditorCapability } from './credential-keys.ts';
import { RoomModeration } from './moderation.ts';
import { PeerRoles, type RoleLink, sdpFingerprint } from './peer-roles.ts';
import { writeProof } from './role-messages.ts';
import { readRoleLink } from './room-credential.ts';
import { loadSessionKey, type SessionKey, sessionId } from './session-key.ts';

interface Peer {
  name: string;
  doc: Y.Doc;
  roles: PeerRoles;
  links: RoleLink[];
  /** Every message this peer received, before roles judged it. */
  received: Uint8Array[];
  session: SessionKey;
  moderation: RoomModeration;
  /** Links roles asked to close (MOD5). */
  closed: RoleLink[];
}

async function peer(room: CreatedRoom, name: string, hash: string): Promise<Peer> {
  const read = await readRoleLink(room.roomId, hash);
  if (!read.credential) throw new Error('no credential');
  const doc = new Y.Doc();
  const session = await loadSessionKey(undefined);
  const moderation = new RoomModeration(read.credential.ownerPublicKey, new RoomDoc(doc).ownerEntries());
  const closed: RoleLink[] = [];
  const roles = new PeerRoles(read.credential, doc, {
    key: session,
    isKicked: (id) => moderation.isKicked(id),
    onKickedPeer: (link) => closed.push(link),
    editorEpoch: () => moderation.editorEpoch.get(),
    viewersMayGrab: () => moderation.settings.get().viewersMayGrab,
  });
  const self: Peer = { name, doc, roles, links: [], received: [], session, moderation, closed };
  // As y-webrtc does: every document update goes to every connection, whatever its origin.
  doc.on('update', (update: Uint8Array) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, update);
    for (const link of self.links) link.send(encoding.toUint8Array(encoder));
  });
  return self;
}

/** y-webrtc's handling of a sync message that roles let through. */
function receive(to: Peer, message: Uint8Array, replyOn: RoleLink): void {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== 0) return;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.readSyncMessage(decoder, encoder, to.doc, replyOn);
  if (encoding.length(encoder) > 1) replyOn.send(encoding.toUint8Array(encoder));
}

/** Connects two peers (each side's DTLS fingerprint named after it) and opens the connection on both. */
function connect(a: Peer, b: Peer): { ab: RoleLink; ba: RoleLink } {
  const fingerprint = (p: Peer) => `sha-256 ${p.name}`;
  const deliver = (to: Peer, via: () => RoleLink) => (data: Uint8Array) =>
    queueMicrotask(() => {
      to.received.push(data);
      const admitted = to.roles.admit(via(), data);
      if (admitted) receive(to, admitted, via());
    });
  const ab: RoleLink = {
    key: {},
    close: () => {},
    send: deliver(b, () => ba),
    fingerprints: () => ({ local: fingerprint(a), remote: fingerprint(b) }),
  };
  const ba: RoleLink = {
    key: {},
    close: () => {},
    send: deliver(a, () => ab),
    fingerprints: () => ({ local: fingerprint(b), remote: fingerprint(a) }),
  };
  a.links.push(ab);
  b.links.push(ba);
  // As y-webrtc does on connect: sync step 1 first, then roles' challenge.
  for (const [from, link] of [
    [a, ab],
    [b, ba],
  ] as const) {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, from.doc);
    link.send(encoding.toUint8Array(encoder));
    from.roles.open(link);
  }
  return { ab, ba };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const text = (p: Peer) => p.doc.getText('script').toString();

describe('roles between peers (ROLE6)', () => {
  it('[ROLE6] an editor’s content reaches a newcomer once proven; a viewer’s never does', async () => {
    const room = await createProtectedRoom();
    const editor = await peer(room, 'editor', room.editorHash);
    const viewer = await peer(room, 'viewer', '');
    const owner = await peer(room, 'owner', room.ownerHash);
    editor.doc.getText('script').insert(0, 'from the editor');
    viewer.doc.getText('script').insert(0, 'from the viewer ');
    connect(owner, editor);
    connect(owner, viewer);
    connect(editor, viewer);
    await until(() => text(owner) === 'from the editor', 'the owner never got the editor’s text');
    await until(() => text(viewer).includes('from the editor'), 'the viewer never got the editor’s text');
    expect(owner.roles.counts.provenPeers).toBe(1);
    expect(editor.roles.counts.provenPeers).toBe(1);
    // The owner and the editor refused what the viewer sent (its step 2, its relays).
    expect(owner.roles.counts.refusedUpdates).toBeGreaterThan(0);
    expect(text(editor)).toBe('from the editor');
    // Later edits: the owner's reach everyone, the viewer's nobody.
    owner.doc.getText('script').insert(0, '> ');
    viewer.doc.getText('script').insert(0, 'wipe ');
    await until(() => text(editor) === '> from the editor', 'the owner’s edit did not reach the editor');
    await until(() => text(viewer).includes('> '), 'the owner’s edit did not reach the viewer');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(text(owner)).toBe('> from the editor');
    expect(text(editor)).toBe('> from the editor');
  });

  it('[ROLE11] where the owner lets viewers grab, a viewer’s grab reaches its peers; its other changes, with or without a grab, never do', async () => {
    const room = await createProtectedRoom();
    const owner = await peer(room, 'owner', room.ownerHash);
    const viewer = await peer(room, 'viewer', '');
    const ownerRoom = new RoomDoc(owner.doc);
    const viewerRoom = new RoomDoc(viewer.doc);
    const crate = objectId('Crate');
    const self = viewer.doc.clientID as PeerId;
    ownerRoom.replaceScript('box Crate { grabbable: true }');
    ownerRoom.setTransform(crate, { position: [0, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] });
    const { ba: fromViewer } = connect(owner, viewer);
    await until(() => viewerRoom.getObjectState(crate) !== undefined, 'the viewer never got the room');
    const to = (x: number) => ({
      position: [x, 0, 0] as [number, number, number],
      rotation: [0, 0, 0] as [number, number, number],
      scale: [1, 1, 1] as [number, number, number],
    });
    /** A crafted message on the viewer's connection: one transaction of a copy of the viewer's room. */
    const crafted = (change: (copy: RoomDoc, copyId: PeerId) => void) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(viewer.doc));
      const before = Y.encodeStateVector(copy);
      const copyRoom = new RoomDoc(copy);
      copyRoom.transact(() => change(copyRoom, copy.clientID as PeerId));
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(copy, before));
      fromViewer.send(encoding.toUint8Array(encoder));
    };
    const refusedNow = () => owner.roles.counts.refusedUpdates;

    // The setting is off: a grab's update is refused.
    let refused = refusedNow();
    crafted((copy, id) => copy.setOwner(crate, id));
    await until(() => refusedNow() > refused, 'the grab was taken with the setting off');
    expect(ownerRoom.ownerOf(crate)).toBeNull();

    // The owner turns it on; the viewer learns it from the document, grabs and lets go: the owner has it.
    await owner.moderation.setSettings(room.owner, { viewersMayGrab: true });
    await until(() => viewer.moderation.settings.get().viewersMayGrab, 'the viewer never learned the setting');
    viewerRoom.setOwner(crate, self);
    await until(() => ownerRoom.ownerOf(crate) === self, 'the viewer’s claim never arrived');
    viewerRoom.transact(() => {
      viewerRoom.setTransform(crate, to(2));
      viewerRoom.setOwner(crate, null);
    });
    await until(
      () => ownerRoom.getObjectState(crate)?.transform?.position[0] === 2,
      'the viewer’s release never arrived',
    );
    expect(owner.roles.counts.acceptedGrabs).toBe(2);

    // A grab and a script edit in one update: refused as a whole.
    refused = refusedNow();
    crafted((copy) => {
      copy.setTransform(crate, to(3));
      copy.editScript(0, 3);
    });
    await until(() => refusedNow() > refused, 'the mixed update was taken');
    expect(ownerRoom.scriptText()).toBe('box Crate { grabbable: true }');
    expect(ownerRoom.getObjectState(crate)?.transform?.position[0]).toBe(2);

    // Turned off again: a grab is refused again.
    await owner.moderation.setSettings(room.owner, { viewersMayGrab: false });
    await until(() => !owner.moderation.settings.get().viewersMayGrab, 'the owner’s page never read its own setting');
    refused = refusedNow();
    crafted((copy) => copy.setTransform(crate, to(5)));
    await until(() => refusedNow() > refused, 'the grab was taken after the setting went off');
    expect(ownerRoom.getObjectState(crate)?.transform?.position[0]).toBe(2);
    expect(owner.roles.counts.acceptedGrabs).toBe(2);
  });

  it('[ROLE6] [ROLE3] a peer cannot pass an editor’s proof on to a third peer', async () => {
    const room = await createProtectedRoom();
    const editor = await peer(room, 'editor', room.editorHash);
    const owner = await peer(room, 'owner', room.ownerHash);
    // An attacker in the middle, with a connection to each (crafted messages, no PeerRoles of its own).
    const toAttacker: { fromOwner: Uint8Array[]; fromEditor: Uint8Array[] } = { fromOwner: [], fromEditor: [] };
    const ownerSide: RoleLink = {
      key: {},
      close: () => {},
      send: (data) => toAttacker.fromOwner.push(data),
      fingerprints: () => ({ local: 'sha-256 owner', remote: 'sha-256 attacker' }),
    };
    const editorSide: RoleLink = {
      key: {},
      close: () => {},
      send: (data) => toAttacker.fromEditor.push(data),
      fingerprints: () => ({ local: 'sha-256 editor', remote: 'sha-256 attacker' }),
    };
    owner.roles.open(ownerSide);
    const challenge = toAttacker.fromOwner[0] as Uint8Array;
    // The owner's challenge, presented to the editor as the attacker's own: the editor signs it...
    expect(editor.roles.admit(editorSide, challenge)).toBeUndefined();
    await until(() => toAttacker.fromEditor.length > 0, 'the editor did not answer');
    // ...for the attacker's fingerprint, so the owner refuses it.
    expect(owner.roles.admit(ownerSide, toAttacker.fromEditor[0] as Uint8Array)).toBeUndefined();
    await until(() => owner.roles.counts.refusedProofs === 1, 'the relayed proof was not refused');
    expect(owner.roles.roleOf(ownerSide)).toBe('viewer');
    const wipe = new Y.Doc();
    wipe.getText('script').insert(0, 'posing as an editor');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(wipe));
    expect(owner.roles.admit(ownerSide, encoding.toUint8Array(encoder))).toBeUndefined();
    // The same editor, connected to the owner itself, is proven.
    connect(owner, editor);
    await until(() => owner.roles.counts.provenPeers === 1, 'the editor was not proven directly');
  });

  it('[ROLE6] [ROLE4] garbled role messages and second proofs are counted and change nothing', async () => {
    const room = await createProtectedRoom();
    const owner = await peer(room, 'owner', room.ownerHash);
    const viewer = await peer(room, 'viewer', '');
    const { ba } = connect(owner, viewer);
    await until(() => owner.roles.roleOf(owner.links[0] as RoleLink) === 'viewer', 'the viewer never answered');
    ba.send(new Uint8Array([20, 2, 1, 0]));
    ba.send(writeProof({ role: 'owner', signature: new Uint8Array(64) }));
    await until(() => owner.roles.counts.refusedProofs >= 2, 'not refused');
    expect(owner.roles.roleOf(owner.links[0] as RoleLink)).toBe('viewer');
  });

  it('[ROLE3] the audience is the DTLS fingerprint in SDP, lowercased', () => {
    expect(sdpFingerprint('v=0\r\na=fingerprint:sha-256 AB:CD:EF\r\n')).toBe('sha-256 ab:cd:ef');
    expect(sdpFingerprint('v=0\r\n')).toBeUndefined();
    expect(sdpFingerprint(undefined)).toBeUndefined();
  });

  it('[MOD4] [MOD5] a peer learns each connection’s session; a removed session is dropped and closed when it comes back', async () => {
    const room = await createProtectedRoom();
    const owner = await peer(room, 'owner', room.ownerHash);
    const editor = await peer(room, 'editor', room.editorHash);
    const { ab } = connect(owner, editor);
    await until(() => owner.roles.sessionOf(ab) === sessionId(editor.session.publicKey), 'no session proven');
    await until(() => owner.roles.roleOf(ab) === 'editor', 'the editor never proved its role');
    const credential = owner.roles.credential;
    if (credential.role !== 'owner') throw new Error('not the owner');
    await owner.moderation.kick(credential, editor.session.publicKey);
    await owner.moderation.settled();
    // What the removed session sends on its old connection is dropped before anything else looks at it.
    editor.doc.getText('script').insert(0, 'after the kick');
    await until(() => owner.roles.counts.refusedKicked > 0, 'the removed session’s update was not refused');
    expect(text(owner)).toBe('');
    // It connects again with the same session: the owner closes that connection as soon as it proves it.
    const again = connect(owner, editor);
    await until(() => owner.closed.includes(again.ab), 'the returning session was not closed');
    expect(owner.roles.sessionOf(again.ab)).toBe(sessionId(editor.session.publicKey));
    // The open connections of a removed session are closed by the page (RoomSession asks on each kick).
    const closed: RoleLink[] = [];
    owner.roles.closeSession(sessionId(editor.session.publicKey), [{ ...ab, close: () => closed.push(ab) }]);
    expect(closed).toEqual([ab]);
    expect(owner.roles.counts.closedKicked).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(text(owner)).toBe('');
  });

  it('[MOD4] a session proof another peer made cannot be passed on, and a second one is refused', async () => {
    const room = await createProtectedRoom();
    const owner = await peer(room, 'owner', room.ownerHash);
    const editor = await peer(room, 'editor', room.editorHash);
    const { ab, ba } = connect(owner, editor);
    await until(() => owner.roles.sessionOf(ab) !== undefined, 'no session proven');
    const refused = owner.roles.counts.refusedProofs;
    // The editor's SESSION message, sent again on the same connection: one per connection.
    const sessionMessage = owner.received.find((m) => m[0] === 20 && m[1] === 3) as Uint8Array;
    ba.send(sessionMessage);
    await until(() => owner.roles.counts.refusedProofs === refused + 1, 'a second session proof was accepted');
    // Relayed to a third peer on another connection (another challenge, another fingerprint): not that session's.
    const third = await peer(room, 'viewer', '');
    const toThird: RoleLink = {
      key: {},
      close: () => {},
      send: () => {},
      fingerprints: () => ({ local: 'sha-256 viewer', remote: 'sha-256 attacker' }),
    };
    third.roles.open(toThird);
    third.roles.admit(toThird, sessionMessage);
    await until(() => third.roles.counts.refusedProofs === 1, 'a relayed session proof was accepted');
    expect(third.roles.sessionOf(toThird)).toBeUndefined();
  });

  it('[ROT2] after the owner rotates the editor link, an editor of the old epoch is a viewer to its peers', async () => {
    const room = await createProtectedRoom();
    const owner = await peer(room, 'owner', room.ownerHash);
    const oldEditor = await peer(room, 'editor', room.editorHash);
    const { ab } = connect(owner, oldEditor);
    await until(() => owner.roles.roleOf(ab) === 'editor', 'the editor never proved its role');
    oldEditor.doc.getText('script').insert(0, 'before ');
    await until(() => text(owner) === 'before ', 'the editor’s edit did not arrive');
    const credential = owner.roles.credential;
    if (credential.role !== 'owner') throw new Error('not the owner');
    expect(await owner.moderation.rotateEditorEpoch(credential)).toBe(1);
    await owner.moderation.settled();
    expect(owner.roles.roleOf(ab)).toBe('viewer');
    const refused = owner.roles.counts.refusedUpdates;
    oldEditor.doc.getText('script').insert(0, 'after ');
    await until(() => owner.roles.counts.refusedUpdates > refused, 'the old editor’s edit was not refused');
    expect(text(owner)).toBe('before ');
    // An editor with a link of the new epoch edits; one who joins with the old link is a viewer from the start.
    const newEditor = await peer(room, 'editor', editorHash(await mintEditorCapability(room.owner, 1)));
    const fresh = connect(owner, newEditor);
    await until(() => owner.roles.roleOf(fresh.ab) === 'editor', 'the new editor link was not accepted');
    const lateOld = await peer(room, 'editor', room.editorHash);
    const late = connect(owner, lateOld);
    await until(() => owner.roles.roleOf(late.ab) === 'viewer', 'the old link was accepted');
  });
});
