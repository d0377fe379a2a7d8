/**
 * Compiles the scene's shader programs ahead of the frame that needs them, in
 * tasks of their own ([DRAW10], docs/performance.md). Three compiles a
 * material's program when a frame first draws it, and its first use of the
 * program (the link status, the info logs, every uniform and attribute) waits
 * for the compile and link to finish: a big room's first frame held the main
 * thread for as long as all its programs took to compile (up to 1.4 s in
 * software GL at load 8), and whatever the network delivered meanwhile (an
 * offer, an answer, a sync step, poses) waited behind it.
 *
 * `KHR_parallel_shader_compile` (three's `compileAsync`) would say when a
 * program is ready without waiting, but Chromium does not offer it on
 * SwiftShader (software GL, with or without GPU compositing). What works
 * everywhere: sending the compile and link is not a wait (the GPU process
 * compiles while the page runs), only asking about the result is. So:
 *   1. one task sends every program the scene lacks (`renderer.compile`:
 *      the shaders' text, compile, link) and flushes them to the GPU process;
 *   2. then one task per new program asks for it (three's first use,
 *      `getUniforms`): each waits at most for its own program, which the GPU
 *      process has had since step 1, and the page's other tasks run between;
 *   3. then the frame draws, and finds every program ready.
 * While this runs the room draws nothing (`compiling`; `Room.compilingFrame`):
 * a joining page's frames stay held (ROOM6), a page already drawing idles.
 * Every frame about to be drawn asks first (`start`), so what a later change
 * adds (the scene's objects arriving after the renderer, batched drawing, a
 * scene edit with a new kind of material, a remote avatar) compiles the same
 * way. Not covered: the programs three makes inside a frame for its own
 * passes (the shadow map's depth materials) and the sky's bake into its cube
 * map (DRAW6), which draws its own scene.
 *
 * @example
 *   const warmup = new ProgramWarmup(renderer, { started, ready });
 *   if (warmup.compiling || warmup.start(scene, camera)) room.compilingFrame();
 *   else draw();
 */
import type { Camera, Material, Object3D, WebGLProgram, WebGLRenderer } from 'three';

/** Runs `task` in a task of its own, after what is already queued (network messages among it). */
export type PostTask = (task: () => void) => void;

const NEXT_TASK: PostTask = (task) => {
  setTimeout(task, 0);
};

/** What the warm-up tells its page: it began (the frame waits) and the programs are ready (draw now). */
export interface WarmupEvents {
  started(): void;
  ready(): void;
}

/** What the warm-ups did since the renderer was made (tests and benchmarks read it from the room's stats). */
export interface WarmupCounts {
  /** Warm-ups run. */
  warmups: number;
  /** Programs linked in a task of their own before a frame used them. */
  programs: number;
  /** The longest task of a warm-up, in milliseconds (sending the programs, or asking for one). */
  longestTaskMs: number;
}

/** The objects three's `compile` prepares a material for (WebGLRenderer.compile). */
interface Drawable {
  isMesh?: boolean;
  isPoints?: boolean;
  isLine?: boolean;
  isSprite?: boolean;
  material?: Material | Material[];
}

interface MaterialProperties {
  currentProgram?: WebGLProgram;
}

export class ProgramWarmup {
  /** True from `start` until the programs are ready: nothing is drawn meanwhile. */
  compiling = false;
  readonly counts: WarmupCounts = { warmups: 0, programs: 0, longestTaskMs: 0 };
  /** Set by the traversal when it meets a material with no program. */
  private missing = false;
  /**
   * The last warm-up left a material without a program (three's `compile` did not give it one): the
   * next frame draws whatever the check says, so no warm-up follows another without a frame between.
   */
  private leftMissing = false;
  /** `stop()` was called: the renderer is going away, so no task touches it again. */
  private stopped = false;
  private readonly visit = (object: Object3D) => {
    if (this.missing) return;
    const drawable = object as Drawable;
    if (!(drawable.isMesh || drawable.isPoints || drawable.isLine || drawable.isSprite)) return;
    const material = drawable.material;
    if (material === undefined) return;
    if (Array.isArray(material)) {
      for (const one of material) if (this.lacksProgram(one)) this.missing = true;
    } else if (this.lacksProgram(material)) {
      this.missing = true;
    }
  };

  constructor(
    private readonly renderer: WebGLRenderer,
    private readonly events: WarmupEvents,
    private readonly post: PostTask = NEXT_TASK,
  ) {}

  /** Whether a frame drawing `scene` would compile a program: a material in it has none yet. */
  needsPrograms(scene: Object3D): boolean {
    this.missing = false;
    scene.traverse(this.visit);
    return this.missing;
  }

  /**
   * Before a frame draws `scene` through `camera`: if the frame would compile
   * programs, starts compiling them in tasks of their own and returns true
   * (do not draw; `events.ready` says when to). Returns false when the frame
   * may draw (nothing to compile, or a warm-up is already running: check
   * `compiling` first).
   */
  start(scene: Object3D, camera: Camera): boolean {
    if (this.stopped || this.compiling || !this.needsPrograms(scene)) return false;
    if (this.leftMissing) {
      this.leftMissing = false;
      return false;
    }
    this.compiling = true;
    this.counts.warmups++;
    this.events.started();
    this.post(() => this.send(scene, camera));
    return true;
  }

  /** Ends a warm-up in progress without telling `ready` (the renderer is going away). */
  stop(): void {
    this.stopped = true;
    this.compiling = false;
  }

  /** Step 1: every program the scene lacks goes to the GPU process; none is asked about yet. */
  private send(scene: Object3D, camera: Camera): void {
    if (this.stopped) return;
    const start = performance.now();
    const before = new Set(this.renderer.info.programs ?? []);
    this.renderer.compile(scene, camera);
    this.renderer.getContext().flush();
    const made = (this.renderer.info.programs ?? []).filter((program) => !before.has(program));
    // A new material whose program three already had gets it here, with nothing to ask.
    this.leftMissing = this.needsPrograms(scene);
    this.took(start);
    this.askNext(made, 0);
  }

  /** Step 2: one program per task; step 3 after the last. */
  private askNext(programs: readonly WebGLProgram[], index: number): void {
    const program = programs[index];
    if (program === undefined) {
      this.compiling = false;
      this.events.ready();
      return;
    }
    this.post(() => {
      if (this.stopped) return;
      const start = performance.now();
      // A program released meanwhile (its material disposed) is gone: nothing to ask.
      if ((this.renderer.info.programs ?? []).includes(program)) {
        // Three's first use of the program: link status and logs, uniforms, attributes.
        program.getUniforms();
        this.counts.programs++;
      }
      this.took(start);
      this.askNext(programs, index + 1);
    });
  }

  private took(start: number): void {
    this.counts.longestTaskMs = Math.max(this.counts.longestTaskMs, performance.now() - start);
  }

  private lacksProgram(material: Material): boolean {
    const { properties } = this.renderer;
    if (!properties.has(material)) return true;
    return (properties.get(material) as MaterialProperties).currentProgram === undefined;
  }
}
