/**
 * The live scene of a room: parse(shared script) + object state, kept current
 * as either changes (docs/scene-runtime.md RUN1-RUN6). Plain TypeScript: React
 * only subscribes to `view`.
 *
 *   RUN1 every script change (local or remote) is parsed on one latest-wins
 *        lane: while someone types, only the newest text is built.
 *   RUN2 a script with parse errors, or over the size limit (CAP1), does not
 *        replace the scene: the last good one stays, marked stale, and the view
 *        carries the error count and the first error for the room to show.
 *   RUN3 object state changes re-merge the last good model immediately (no parse).
 *   RUN4 events run handlers against what is on screen; their changes go to the
 *        room document, so everyone sees them (INT4).
 *   RUN5 a rename made by this peer's own edit moves the object's state (OBJ2).
 *   RUN6 orphaned state is pruned only after this peer has seen it orphaned for
 *        ORPHAN_TTL_MS (and it is that old, OBJ4), so a half-typed name never
 *        loses a moved object.
 *
 * The interpreter that runs handlers is loaded, not imported (docs/performance.md
 * LOAD19): by the room once it is interactive (`loadHandlersWhenUsed`), or by
 * the first event that has a handler. An event that comes before the code has
 * loaded waits for it (at most MAX_WAITING_EVENTS of them) and runs then, in order.
 *
 * The editor's marks come from here too (`diagnosticsFor`): each script text
 * is parsed and built once, for the scene and the editor alike.
 *
 * @example
 *   const runtime = new SceneRuntime({ room, parse: (t) => parser.parseLatest('scene', t) });
 *   runtime.view.subscribe((view) => render(view.model));
 *   runtime.dispatch('Lamp', 'click'); // runs now, or once the interpreter has loaded
 */

import type { ObjectId } from '../../core/ids.ts';
import { createStore, type Store } from '../../core/store.ts';
import { detectRename, ORPHAN_TTL_MS } from '../../sync/doc/object-renames.ts';
import type { JsonValue } from '../../sync/doc/object-state.ts';
import type { RoomDoc, ScriptSnapshot } from '../../sync/doc/room-doc.ts';
import type { DispatchResult, RuntimeError } from '../interpreter/interpreter.ts';
import { buildSceneModel } from '../model/build-model.ts';
import type { SceneEvent } from '../model/events.ts';
import { handlerOwner, hasEventHandlers } from '../model/handler-table.ts';
import { mergeObjectStates } from '../model/merge-state.ts';
import type { LimitNotice, SceneModel } from '../model/scene-model.ts';
import type { Diagnostic, ParseResult } from '../syntax/ast.ts';
import type { EffectSinks } from './apply-effects.ts';
import { type SceneDiagnostic, sceneDiagnostics } from './scene-diagnostics.ts';

/** The interpreter and the writes of its effects, loaded on first use (LOAD19). */
type HandlerCode = typeof import('./handler-code.ts');

/**
 * LOAD19: events with a handler that may wait for the interpreter's code; more are dropped (with
 * a warning), so a page whose code cannot load does not keep every hover.
 */
export const MAX_WAITING_EVENTS = 64;

/** What `dispatch` did: the handler's result, or that the event waits for the interpreter's code (LOAD19). */
export type SceneDispatch = DispatchResult | { ok: true; handled: false; waiting: true };

const NOT_HANDLED: DispatchResult = { ok: true, handled: false, effects: [], warnings: [], logs: [], steps: 0 };

interface WaitingEvent {
  objectId: ObjectId;
  event: SceneEvent;
  data: Readonly<Record<string, JsonValue>>;
}

interface SceneProblem {
  message: string;
  line: number;
  column: number;
  code: string;
}

interface HandlerProblem {
  objectId: string;
  event: SceneEvent;
  error: RuntimeError;
  at: number;
}

export interface SceneView {
  /** What to draw: the last good model with object state merged in; undefined before the first good parse. */
  model: SceneModel | undefined;
  /** The script model without room state (handlers' `reset` reads it). */
  scriptModel: SceneModel | undefined;
  /** 'waiting' until the first script arrives, 'parsing' while the first parse runs. */
  phase: 'waiting' | 'parsing' | 'ready';
  errors: number;
  /** Parser warnings plus scene-model warnings of the current script. */
  warnings: number;
  firstError: SceneProblem | undefined;
  /** True while the drawn scene is older than the script (RUN2). */
  stale: boolean;
  overSizeLimit: boolean;
  limits: LimitNotice[];
  lastHandlerProblem: HandlerProblem | undefined;
  /** Counts successful builds, for tests and benchmarks. */
  builds: number;
  /** The script length of the drawn scene. */
  scriptLength: number;
  /** Problems the renderer met (a model that did not load), by node id. */
  renderProblems: ReadonlyMap<string, string>;
}

export interface SceneRuntimeOptions {
  room: RoomDoc;
  /** Latest-wins parse (resolves undefined when a newer text superseded this one). */
  parse(text: string): Promise<ParseResult | undefined>;
  sinks?: EffectSinks;
  now?(): number;
  /** Ids for `spawn` (tests pass a counter). */
  spawnId?(): string;
  /** Whether a handler may run on this page (docs/roles.md ROLE10: a viewer's page runs none); all may when absent. */
  mayRunHandler?(objectId: ObjectId, event: SceneEvent): boolean;
}

const INITIAL_VIEW: SceneView = {
  model: undefined,
  scriptModel: undefined,
  phase: 'waiting',
  errors: 0,
  warnings: 0,
  firstError: undefined,
  stale: false,
  overSizeLimit: false,
  limits: [],
  lastHandlerProblem: undefined,
  builds: 0,
  scriptLength: 0,
  renderProblems: new Map(),
};

function problem(diagnostic: Diagnostic): SceneProblem {
  return { message: diagnostic.message, line: diagnostic.line, column: diagnostic.column, code: diagnostic.code };
}

export class SceneRuntime {
  readonly view: Store<SceneView> = createStore(INITIAL_VIEW);
  private readonly stops: (() => void)[] = [];
  private localEdits = false;
  private remoteEdits = false;
  private readonly orphanSince = new Map<ObjectId, number>();
  private destroyed = false;
  /** Settles when the newest requested parse has been applied (tests and benchmarks await it). */
  private pending: Promise<void> = Promise.resolve();
  /** The marks of the newest parsed text, and who waits for the marks of which text. */
  private diagnostics: { text: string; list: readonly SceneDiagnostic[] } | undefined;
  private readonly waiting: { text: string; resolve(list: readonly SceneDiagnostic[] | undefined): void }[] = [];
  /** The handlers' code once loaded (LOAD19), the load under way, and the events waiting for it. */
  private handlerCode: HandlerCode | undefined;
  private handlerLoad: Promise<boolean> | undefined;
  private readonly waitingEvents: WaitingEvent[] = [];
  /** Set by `loadHandlersWhenUsed`: every scene built from then on loads the code if it has a handler. */
  private handlersWanted = false;

  constructor(private readonly options: SceneRuntimeOptions) {}

  start(): this {
    const { room } = this.options;
    this.stops.push(
      room.observeScript((snapshot) => this.onScript(snapshot)),
      room.observeObjects(() => this.remerge()),
    );
    // Even an empty script is built: an empty room is a scene with nothing in it, not one still loading.
    this.onScript(room.scriptSnapshot());
    return this;
  }

  destroy(): void {
    this.destroyed = true;
    this.waitingEvents.length = 0;
    this.answer(undefined, undefined);
    for (const stop of this.stops.splice(0)) stop();
  }

  /**
   * The marks of `text` once the runtime has parsed it, for the editor; `undefined`
   * when the script moved on before (a newer text supersedes it, as in RUN1).
   */
  diagnosticsFor(text: string): Promise<readonly SceneDiagnostic[] | undefined> {
    if (this.diagnostics?.text === text) return Promise.resolve(this.diagnostics.list);
    if (this.destroyed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push({ text, resolve }));
  }

  private setDiagnostics(text: string, list: readonly SceneDiagnostic[]): void {
    this.diagnostics = { text, list };
    this.answer(text, list);
  }

  /** Resolves the waiters for `text` with `list`, and every other waiter with `undefined`. */
  private answer(text: string | undefined, list: readonly SceneDiagnostic[] | undefined): void {
    for (const waiter of this.waiting.splice(0)) waiter.resolve(waiter.text === text ? list : undefined);
  }

  /** Resolves the waiters for any text but `text` with `undefined`; the others keep waiting. */
  private supersede(text: string): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const waiter = this.waiting[i];
      if (waiter && waiter.text !== text) {
        this.waiting.splice(i, 1);
        waiter.resolve(undefined);
      }
    }
  }

  /** Resolves once the newest script change so far has been parsed and applied. */
  settled(): Promise<void> {
    return this.pending;
  }

  private patch(changes: Partial<SceneView>): void {
    this.view.set({ ...this.view.get(), ...changes });
  }

  private onScript(snapshot: ScriptSnapshot): void {
    if (snapshot.local) this.localEdits = true;
    else this.remoteEdits = true;
    if (!snapshot.withinLimit) {
      // CAP1: too big to parse; the last good scene stays (the editor's notice says why, not a mark).
      this.patch({ overSizeLimit: true, stale: this.view.get().model !== undefined });
      this.diagnostics = { text: snapshot.text, list: [] };
      this.answer(snapshot.text, []);
      return;
    }
    // Marks of any other text will not come now: whoever waits for them gets `undefined`.
    this.supersede(snapshot.text);
    if (this.view.get().phase === 'waiting') this.patch({ phase: 'parsing' });
    const job = this.options.parse(snapshot.text).then(
      (result) => {
        if (result && !this.destroyed) this.apply(snapshot.text, result);
      },
      (error: Error) => {
        console.error(`holoroom: the scene parser failed: ${error.message}`);
        this.supersede('');
      },
    );
    this.pending = job;
  }

  private apply(text: string, result: ParseResult): void {
    const firstError = result.diagnostics.find((d) => d.severity === 'error');
    if (result.errors > 0) {
      this.setDiagnostics(text, sceneDiagnostics(result, undefined));
      const current = this.view.get();
      this.patch({
        phase: 'ready',
        errors: result.errors,
        warnings: result.warnings,
        firstError: firstError ? problem(firstError) : undefined,
        stale: current.model !== undefined,
        overSizeLimit: false,
      });
      return;
    }
    const scriptModel = buildSceneModel(result.document);
    this.setDiagnostics(text, sceneDiagnostics(result, scriptModel));
    const previous = this.view.get().scriptModel;
    if (previous && this.localEdits && !this.remoteEdits) {
      const rename = detectRename([...previous.byId.keys()], [...scriptModel.byId.keys()]);
      if (rename) this.options.room.renameObject(rename);
    }
    this.localEdits = false;
    this.remoteEdits = false;
    const model = mergeObjectStates(scriptModel, this.options.room.allObjectStates());
    const view = this.view.get();
    this.patch({
      model,
      scriptModel,
      phase: 'ready',
      errors: 0,
      warnings: result.warnings + scriptModel.warnings.length + scriptModel.droppedWarnings,
      firstError: undefined,
      stale: false,
      overSizeLimit: false,
      limits: model.limits,
      builds: view.builds + 1,
      scriptLength: text.length,
    });
    this.pruneOrphans(scriptModel);
    if (this.handlersWanted && hasEventHandlers(scriptModel)) void this.loadHandlers();
  }

  private remerge(): void {
    const { scriptModel } = this.view.get();
    if (!scriptModel) return;
    const model = mergeObjectStates(scriptModel, this.options.room.allObjectStates());
    this.patch({ model, limits: model.limits });
  }

  private pruneOrphans(scriptModel: SceneModel): void {
    const now = this.options.now?.() ?? Date.now();
    const live = new Set<ObjectId>();
    for (const id of this.options.room.objectIds()) {
      // Runtime ids (`@scene`, `@spawn/...`) are never orphans of the script.
      if (scriptModel.byId.has(id) || id.startsWith('@')) {
        live.add(id);
        this.orphanSince.delete(id);
        continue;
      }
      const since = this.orphanSince.get(id) ?? now;
      this.orphanSince.set(id, since);
      if (now - since < ORPHAN_TTL_MS) live.add(id);
    }
    for (const id of this.orphanSince.keys()) if (!this.options.room.hasObjectState(id)) this.orphanSince.delete(id);
    this.options.room.pruneOrphans(live, now);
  }

  /** The renderer reports (or clears, with null) a problem drawing node `id`. */
  reportRenderProblem(id: string, message: string | null): void {
    const current = this.view.get().renderProblems;
    if ((current.get(id) ?? null) === message) return;
    const next = new Map(current);
    if (message === null) next.delete(id);
    else next.set(id, message);
    this.patch({ renderProblems: next });
  }

  /** Whether the handlers' code has loaded (LOAD19). */
  get handlersLoaded(): boolean {
    return this.handlerCode !== undefined;
  }

  /**
   * LOAD19: the room is interactive; load the handlers' code now if the scene has a handler, or
   * with the first scene that has one. Later calls do nothing.
   */
  loadHandlersWhenUsed(): void {
    if (this.handlersWanted) return;
    this.handlersWanted = true;
    const { scriptModel } = this.view.get();
    if (scriptModel && hasEventHandlers(scriptModel)) void this.loadHandlers();
  }

  /**
   * Loads the handlers' code (LOAD19) and runs the events that waited for it, in order. Resolves
   * true once it can run handlers; false when the code could not load (the events are dropped,
   * the next event tries again).
   */
  loadHandlers(): Promise<boolean> {
    if (this.handlerLoad) return this.handlerLoad;
    this.handlerLoad = import('./handler-code.ts').then(
      (code) => {
        this.handlerCode = code;
        for (const waiting of this.waitingEvents.splice(0))
          this.dispatch(waiting.objectId, waiting.event, waiting.data);
        return true;
      },
      (error: unknown) => {
        // The service worker precaches the chunk, so this is a first visit that lost its network.
        console.error(`holoroom: the scene's handlers could not load: ${String(error)}`);
        this.waitingEvents.length = 0;
        this.handlerLoad = undefined;
        return false;
      },
    );
    return this.handlerLoad;
  }

  /**
   * Runs the handler for `event` on `objectId` (RUN4); the result says what happened. Before the
   * handlers' code has loaded, an event that has a handler waits for it (LOAD19).
   */
  dispatch(objectId: ObjectId, event: SceneEvent, data: Readonly<Record<string, JsonValue>> = {}): SceneDispatch {
    const { model, scriptModel } = this.view.get();
    if (this.destroyed || !model || !scriptModel) return NOT_HANDLED;
    // ROLE10: a handler's changes go to the room document, which nobody takes from a viewer.
    if (this.options.mayRunHandler && !this.options.mayRunHandler(objectId, event)) return NOT_HANDLED;
    // INT1: an event nobody handles needs no interpreter.
    if (handlerOwner(model, objectId, event) === undefined) return NOT_HANDLED;
    const code = this.handlerCode;
    if (!code) {
      if (this.waitingEvents.length >= MAX_WAITING_EVENTS) {
        console.warn(
          `holoroom scene: ${objectId} ${event} dropped: ${MAX_WAITING_EVENTS} events already wait for the handlers' code`,
        );
        return NOT_HANDLED;
      }
      this.waitingEvents.push({ objectId, event, data });
      void this.loadHandlers();
      return { ok: true, handled: false, waiting: true };
    }
    const result = code.dispatchEvent(
      { current: model, script: scriptModel },
      objectId,
      event,
      data,
      this.options.spawnId ? { spawnId: this.options.spawnId } : {},
    );
    if (result.ok) {
      if (result.effects.length > 0) {
        const refused = code.applyEffects(this.options.room, result.effects, this.options.sinks);
        if (refused.length > 0) {
          const error: RuntimeError = { code: 'LIMIT', message: refused[0] as string, span: null };
          this.patch({ lastHandlerProblem: { objectId, event, error, at: Date.now() } });
        }
      }
      for (const warning of result.warnings) console.warn(`holoroom scene: ${objectId} ${event}: ${warning.message}`);
    } else {
      console.warn(`holoroom scene: ${objectId} ${event} stopped: ${result.error.message}`);
      this.patch({ lastHandlerProblem: { objectId, event, error: result.error, at: Date.now() } });
    }
    return result;
  }
}
