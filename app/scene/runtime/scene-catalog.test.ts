// The shipped scenes: clean scripts that each exercise different constructs,
// and switching a room to one of them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { object } from '../../../testing/ids.ts';
import { testParserModule } from '../../../testing/scene/parsed-scenes.ts';
import { docOf, openRoomDoc } from '../../../testing/sync/room-docs.ts';
import { buildSceneModel } from '../model/build-model.ts';
import { LOBBY_SCENE, SCENES, switchScene } from './scene-catalog.ts';

const PUBLIC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'public');
const sceneText = (entry: { path: string }) => readFileSync(path.join(PUBLIC, entry.path), 'utf8');

describe('shipped scenes', () => {
  it('the lobby and at least three demos parse and build without a single warning', async () => {
    expect(LOBBY_SCENE.id).toBe('lobby');
    expect(SCENES.length).toBeGreaterThanOrEqual(4);
    const parser = await testParserModule();
    for (const entry of SCENES) {
      const result = parser.parse(sceneText(entry));
      expect(result.diagnostics, entry.id).toEqual([]);
      const model = buildSceneModel(result.document);
      expect(model.warnings, entry.id).toEqual([]);
      expect(model.limits, entry.id).toEqual([]);
      expect(model.title, entry.id).toBeTruthy();
    }
  });

  it('each demo exercises different constructs', async () => {
    const parser = await testParserModule();
    const models = new Map(SCENES.map((entry) => [entry.id, buildSceneModel(parser.parse(sceneText(entry)).document)]));
    const nodes = (id: string) => [...(models.get(id)?.byId.values() ?? [])];
    // Lobby: handlers that reach other objects and scene state, grabbable blocks.
    expect(nodes('lobby').some((node) => node.handlers.events.has('click'))).toBe(true);
    expect(models.get('lobby')?.sceneState.get('hellos')).toBe(0);
    expect(nodes('lobby').some((node) => node.traits.grabbable)).toBe(true);
    // Gallery: templates with children under nested groups, a glTF model, labels.
    expect(models.get('gallery')?.byId.has(object('West Wing/Knot/Plinth/Trim'))).toBe(true);
    expect(nodes('gallery').some((node) => node.kind === 'model')).toBe(true);
    expect(nodes('gallery').filter((node) => node.label !== null).length).toBeGreaterThanOrEqual(4);
    // Playground: spawnable templates, hover handlers.
    expect(models.get('playground')?.spawnables.has('Ball')).toBe(true);
    expect(nodes('playground').some((node) => node.handlers.events.has('hoverenter'))).toBe(true);
    // Night garden: fog, every light type but ambient, animated glow.
    const garden = models.get('night-garden');
    expect(garden?.environment.fog).not.toBeNull();
    const lightTypes = new Set(
      nodes('night-garden').flatMap((node) => (node.kind === 'light' ? [node.light.type] : [])),
    );
    expect([...lightTypes].sort()).toEqual(['directional', 'hemisphere', 'point', 'spot']);
    expect(nodes('night-garden').some((node) => node.traits.animated?.kind === 'bob' && node.traits.glowing)).toBe(
      true,
    );
  });
});

describe('switching scenes', () => {
  it('[SCENE1] replaces the script and clears every object state in one transaction', () => {
    const room = openRoomDoc();
    room.replaceScript('object "A" {}');
    room.setTransform(object('A'), { position: [1, 1, 1], rotation: [0, 0, 0], scale: [1, 1, 1] });
    room.setStateValue(object('@scene'), 'n', 3);
    let transactions = 0;
    docOf(room).on('afterTransaction', () => transactions++);
    expect(room.replaceScene('object "B" {}')).toEqual({ ok: true });
    expect(transactions).toBe(1);
    expect(room.scriptText()).toBe('object "B" {}');
    expect(room.objectCount).toBe(0);
  });

  it('[SCENE1] [MENU5] switchScene (both pickers) loads the shipped file into the room, or says why not', async () => {
    const room = openRoomDoc();
    room.replaceScript('object "A" {}');
    const entry = SCENES.find((scene) => scene.id === 'playground') ?? LOBBY_SCENE;
    const served = ((url: string) =>
      Promise.resolve(new Response(sceneText({ path: url })))) as unknown as typeof fetch;
    expect(await switchScene(room, entry, served)).toBeUndefined();
    expect(room.scriptText()).toBe(sceneText(entry));
    const missing = (() => Promise.resolve(new Response('', { status: 404 }))) as unknown as typeof fetch;
    expect(await switchScene(room, LOBBY_SCENE, missing)).toBe(
      'The scene could not be loaded: /scenes/lobby.holo answered 404',
    );
    expect(room.scriptText()).toBe(sceneText(entry));
  });
});
