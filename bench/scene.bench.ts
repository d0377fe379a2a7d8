/**
 * The scene runtime in Node, on the generated 1000-line scene
 * (bench/scene-generator.ts) and the shipped lobby:
 *
 * - scene.model_build_1000_lines_ms: parsed tree -> scene model (templates,
 *   ids, properties, traits, warnings); median. Beside it, in the same run,
 *   scene.parse_1000_lines_ms (the wasm parse of the same text) as the
 *   reference: building the model should cost no more than parsing.
 * - scene.merge_500_states_ms: laying 500 object states (moved objects,
 *   handler state and colours) over the model, what happens on every remote
 *   object change.
 * - scene.handler_click_us: one click through the interpreter (the lobby's
 *   lamp switch: find, state, four property writes, a sound).
 * - scene.handler_budget_exhausted_ms: the worst a hostile handler can cost
 *   per event (it runs into the 10 000-step budget).
 */
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { dispatchEvent } from '../app/scene/interpreter/interpreter.ts';
import { buildSceneModel } from '../app/scene/model/build-model.ts';
import { mergeObjectStates } from '../app/scene/model/merge-state.ts';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import { object } from '../testing/ids.ts';
import { loadParserModuleForNode } from '../tools/node-parser.ts';
import { median, timeRuns } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';
import { generateScene } from './scene-generator.ts';

const RUNS = 200;

const HOSTILE = 'object "A" { f(n) { if (n > 0) { f(n - 1); f(n - 1) } } on_click { f(12) } }';

const bench: Benchmark = async () => {
  const parser = await loadParserModuleForNode();
  const text = generateScene(1000);
  const { document, errors } = parser.parse(text);
  if (errors > 0) throw new Error('the generated scene has parse errors');
  const model = buildSceneModel(document);
  console.log(`generated scene: ${model.byId.size} nodes, ${model.warnings.length} warnings`);

  const buildMs = median(timeRuns(() => buildSceneModel(document), RUNS));
  const parseMs = median(timeRuns(() => parser.parse(text), RUNS));

  const room = new RoomDoc(new Y.Doc());
  const ids = [...model.byId.keys()].slice(0, 500);
  ids.forEach((id, i) => {
    room.setTransform(id, { position: [i % 10, 1, -i / 10], rotation: [0, i, 0], scale: [1, 1, 1] });
    room.setStateValue(id, 'n', i);
    if (i % 2 === 0) room.setPropValue(id, 'color', '#ff8800');
  });
  const states = room.allObjectStates();
  const mergeMs = median(timeRuns(() => mergeObjectStates(model, states), RUNS));

  const lobby = buildSceneModel(parser.parse(readFileSync('public/scenes/lobby.holo', 'utf8')).document);
  const world = { current: lobby, script: lobby };
  const clickRuns = timeRuns(() => {
    const result = dispatchEvent(world, object('LampSwitch'), 'click');
    if (!result.ok) throw new Error(result.error.message);
  }, RUNS * 5);

  const hostile = buildSceneModel(parser.parse(HOSTILE).document);
  const hostileRuns = timeRuns(() => {
    const result = dispatchEvent({ current: hostile, script: hostile }, object('A'), 'click');
    if (result.ok || result.error.code !== 'BUDGET') throw new Error('expected the budget to stop the handler');
  }, RUNS);

  return {
    'scene.model_build_1000_lines_ms': buildMs,
    'scene.parse_1000_lines_ms': parseMs,
    'scene.model_nodes_1000_lines': model.byId.size,
    'scene.merge_500_states_ms': mergeMs,
    'scene.handler_click_us': median(clickRuns) * 1000,
    'scene.handler_budget_exhausted_ms': median(hostileRuns),
  };
};

export default bench;
