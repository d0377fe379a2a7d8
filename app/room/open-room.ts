/**
 * One live room as one plain-TypeScript object: the session (room document
 * and providers), the parser pool, the scene runtime, the pose channel and
 * interaction, owned here and handed to React, which draws them and calls
 * `frame()` once per rendered frame (app/render/RoomFrame.tsx). A Node test
 * can open a room and step frames with no React and no DOM
 * (open-room.test.ts).
 *
 * @example
 *   const room = openRoom({ roomId, session, parser: () => loadBrowserParser(PARSER_WASM_URL) });
 *   const detach = room.attach({ camera, element: canvas });
 *   room.frame(performance.now());   // every frame: input, grabs, physics, poses, tick, animations, ...
 *   room.inspect().scene.view.get(); // what tests and benchmarks look at
 *   room.destroy();
 */
import { type Object3D, type PerspectiveCamera, Quaternion, Vector3 } from 'three';
import { ConnectTimeline } from '../core/connect-timeline.ts';
import { peerIdOf, type RoomId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import { DesktopInput } from '../interaction/input/desktop-input.ts';
import { ComfortSettings, type KeyValueStorage } from '../interaction/move/comfort.ts';
import { createView, type DesktopView, lookAt, viewQuaternion } from '../interaction/move/desktop-view.ts';
import { DEFAULT_BOUNDS, type RoomBounds, roomBounds } from '../interaction/move/room-bounds.ts';
import { StartPlacement } from '../interaction/move/start-placement.ts';
import { DEFAULT_VIEWPOINT, type Viewpoint } from '../interaction/move/start-points.ts';
import { focusTargets, ObjectFocus } from '../interaction/object-focus.ts';
import { SceneObjectRegistry } from '../interaction/object-registry.ts';
import { RoomInteraction } from '../interaction/room-interaction.ts';
import type { HostSink, PhysicsHost } from '../physics/engine/hosts.ts';
import type { RoomPhysics } from '../physics/room-physics.ts';
import { SendWindows } from '../pose/send/send-windows.ts';
import { PART_HEAD } from '../pose/wire/protocol.ts';
import type { ScriptParser } from '../scene/parser/parser.ts';
import type { EffectSinks } from '../scene/runtime/apply-effects.ts';
import { Behaviours } from '../scene/runtime/behaviours.ts';
import { startLobbySeeding } from '../scene/runtime/lobby-seed.ts';
import { SceneRuntime, type SceneView } from '../scene/runtime/scene-runtime.ts';
import { sessionId } from '../sync/roles/session-key.ts';
import { RoomSession, type RoomSessionOptions } from '../sync/room-session.ts';
import { listRtcPeers, onRtcPeersChanged, onRtcSyncedChanged, rtcRoomSynced } from '../sync/y-webrtc-internals.ts';
import type { VoiceChat, VoiceOptions } from '../voice/voice-chat.ts';
import { AvatarRegistry } from './avatars.ts';
import { bodyClaimRights } from './body-claim-rights.ts';
import { FramePacing } from './frame-pacing.ts';
import { FrameResolution } from './frame-resolution.ts';
import { createFrameStats, type FrameStats, markRoomInteractive } from './frame-stats.ts';
import { runFramesOnTimer } from './headless-frames.ts';
import type { RoomInspection } from './inspect.ts';
import { watchJoin } from './join-hold.ts';
import { publishOwnAvatar } from './own-avatar.ts';
import { openPoseLinks, type PoseLinkOptions, type PoseLinks } from './pose-links.ts';
import { RenderDemand, type WakeReason } from './render-demand.ts';
import { RoomBodies } from './room-bodies.ts';
import { RoomClock } from './room-clock.ts';
import { type OwnerMuteSource, RoomVoice } from './room-voice.ts';
import type { RoomXR } from './room-xr.ts';
import { followXRSessions, type XRSessionSource } from './xr-session.ts';

/** The parser lane of the scene: newer script text supersedes older (RUN1). */
const SCENE_PARSE_LANE = 'scene-runtime';
/**
 * PRES5: a hidden page keeps holding what it holds for this long (a quick look at
 * another tab), then puts it down where it is: its frames have stopped, so what
 * it holds would hang in the air for everyone.
 */
export const AWAY_RELEASE_MS = 3000;

export interface RoomOptions {
  roomId: RoomId;
  /** How the room document is stored and synced (app/sync/room-session.ts). */
  session: Omit<RoomSessionOptions, 'roomId'>;
  /** Starts the parser pool; called once, on first use (a failed start is retried on the next). */
  parser(): Promise<ScriptParser>;
  /** Which transports the pose channel may use. */
  pose?: PoseLinkOptions;
  /** Where handler sounds and log lines go (the acting person's page only, INT4). */
  sinks?: EffectSinks;
  /** Seeds an empty new room with this text (SEED1-SEED4); no seeding without it. */
  loadLobby?(): Promise<string>;
  /** Where the phases of joining are recorded; the page passes one that began with the page. */
  timeline?: ConnectTimeline;
  /** Voice (docs/voice.md): browser pages only; a Node room has none. */
  voice?: Omit<VoiceOptions, 'roomId' | 'selfId'>;
  /** Where this device remembers comfort settings (COMFORT2): a page's localStorage; none in Node. */
  deviceStorage?: KeyValueStorage;
  /**
   * The clock of the renderer that calls `frame(time)`, for what the room times itself (throw
   * velocities from hand samples, THROW1); `performance.now` when absent. A test that steps
   * frames at chosen times passes the same clock, so a throw does not depend on how busy the machine is.
   */
  now?: () => number;
  /** Where `@physics` bodies are simulated (PHYS9): a worker where the page has Worker, else in process. */
  physicsHost?: (sink: HostSink) => Promise<PhysicsHost>;
  /**
   * How the renderer draws the scene (docs/performance.md DRAW2, DRAW3): `batched` (the default)
   * draws objects that share a primitive and a material's kind as one instanced mesh and draws
   * shadow maps only when a caster or light changed; `plain` draws every object as its own mesh and
   * the shadow maps every frame, the way the room drew before, for the frame benchmark's comparison.
   */
  drawing?: 'batched' | 'plain';
}

/** What the renderer draws into: given by the canvas once it exists (`room.attach`). */
export interface RoomViewport {
  camera: PerspectiveCamera;
  /** Desktop input listens here and screen points are relative to it; absent in Node. */
  element?: HTMLCanvasElement;
  /** The renderer's XR reference space while a session runs. */
  xrReferenceSpace?(): XRReferenceSpace | null;
}

const UP = new Vector3(0, 1, 0);
const head = new Vector3();
const rigSpace = new Vector3();
const ears = new Vector3();
const earsRotation = new Quaternion();
const clickPoint = new Vector3();
const awayRotation = new Quaternion();

export class Room {
  readonly id: RoomId;
  readonly session: RoomSession;
  readonly scene: SceneRuntime;
  readonly pose: PoseLinks;
  /** Drawn scene objects by id: the renderer registers them, interaction moves them. */
  readonly objects = new SceneObjectRegistry();
  /** Which interactive object has keyboard focus in the 3D view (ACC5). */
  readonly focus = new ObjectFocus();
  /** `@animated` and `@glowing`: the renderer registers them, the frame moves them. */
  readonly behaviours = new Behaviours();
  /** The time `@animated` and `@glowing` run on, the same on every page of the room (CLOCK1). */
  readonly clock: RoomClock;
  /** Everyone else's drawn avatar: the renderer registers them, the frame poses them. */
  readonly avatars = new AvatarRegistry((phase) => {
    this.timeline.mark(phase);
    if (phase === 'first_avatar_drawn') this.stats.firstAvatarFrame = this.stats.frames;
  });
  readonly interaction: RoomInteraction;
  /**
   * `@physics` bodies (PHYS4-PHYS9): their code loads with the first scene that has one
   * (LOAD15, `loadPhysics()`), so this is undefined until then.
   */
  readonly physics: Store<RoomPhysics | undefined>;
  private readonly bodies: RoomBodies;
  /** Where this person stands outside XR (the camera follows it). */
  readonly view: DesktopView = lookAt(createView(), DEFAULT_VIEWPOINT.position, DEFAULT_VIEWPOINT.target);
  /**
   * Controllers, hands, the teleport arc, the vignette and the in-world menu: loaded with
   * the XR layer where the browser offers XR (`loadXR()`, LOAD12), undefined until then.
   */
  readonly xr: Store<RoomXR | undefined> = createStore<RoomXR | undefined>(undefined);
  private xrLoad: Promise<RoomXR> | undefined;
  /** The page's XR session source once it has one (ROOM10: it may arrive after the room opened). */
  private xrSource: XRSessionSource | undefined;
  private destroyed = false;
  readonly stats: FrameStats = createFrameStats();
  /** RoomOptions.drawing, for the renderer. */
  readonly drawing: 'batched' | 'plain';
  /** When each phase of joining happened (docs/transports.md, "Joining"). */
  readonly timeline: ConnectTimeline;
  /** Which display frames are drawn: fewer while this page is joining (ROOM4). */
  readonly pacing: FramePacing;
  /** True once this page's join has settled: the page creates its renderer then (ROOM6, join-hold.ts). */
  readonly joinSettled: Store<boolean> = createStore(false);
  /** Whether anything needs a frame drawn at all (ROOM5): changes wake it, moving things keep it drawing. */
  readonly demand = new RenderDemand();
  /** The drawing buffer's share of the screen's pixel ratio while frames miss their budget (DRAW7). */
  readonly resolution = new FrameResolution();
  /** The pose channel's `remoteChanges` when the last display frame asked (ROOM5). */
  private seenRemoteChanges = 0;
  /** The desktop view when the last display frame asked: x, y, z, yaw, pitch (ROOM5). */
  private readonly seenView = new Float64Array(5);
  /** When the pose channel ticks: on 16.67 ms send windows, in frames and between them (POSE18). */
  private readonly sendWindows = new SendWindows();
  /** Snap-turn angle and vignette, remembered on this device (COMFORT1-COMFORT3). */
  readonly comfort: ComfortSettings;
  /**
   * Voice chat, where the page has it (options.voice): its code loads with the first
   * frame that draws a ready scene (LOAD9), so this is undefined until then.
   */
  readonly voice: Store<VoiceChat | undefined>;
  private readonly voiceLoading: RoomVoice;
  /** The room's floor and person scale, from the scene's environment (LOCO4, LOCO6). */
  bounds: RoomBounds = DEFAULT_BOUNDS;
  private readonly placement: StartPlacement;
  private desktop: DesktopInput | undefined;
  private viewport: RoomViewport | undefined;
  private xrOrigin: Object3D | undefined;
  private inXR = false;
  private awayRelease: ReturnType<typeof setTimeout> | undefined;
  /** PRES9: while hidden, the pose channel's sends that no frame would make (see `sendWhileAway`). */
  private stopAwaySends: (() => void) | undefined;
  private lastTime: number | undefined;
  /** ROOM6: stops the held frames' timer while it runs (`holdFrames`). */
  private stopHeldFrames: (() => void) | undefined;
  /** ROOM6: the renderer's display loop has run (`frame` or `idle`): no held frames from then on. */
  private displayLoopStarted = false;
  private parserStart: Promise<ScriptParser> | undefined;
  private readonly stops: (() => void)[] = [];

  constructor(private readonly options: RoomOptions) {
    this.id = options.roomId;
    this.drawing = options.drawing ?? 'batched';
    this.timeline = options.timeline ?? new ConnectTimeline();
    this.session = new RoomSession({ ...options.session, roomId: options.roomId, timeline: this.timeline });
    this.pose = openPoseLinks(this.session, options.roomId, { ...options.pose, timeline: this.timeline });
    this.clock = new RoomClock(this.pose.channel.selfId, this.pose.channel);
    const webrtc = this.session.webrtc;
    const sessionStart = this.timeline.at('session_start') ?? performance.now();
    this.pacing = new FramePacing(sessionStart, () => (webrtc ? listRtcPeers(webrtc) : []));
    this.stops.push(this.watchJoin(sessionStart));
    this.scene = new SceneRuntime({
      room: this.session.room,
      parse: async (text) => (await this.parser()).parseLatest(SCENE_PARSE_LANE, text),
      ...(options.sinks ? { sinks: options.sinks } : {}),
      // ROLE10: the interaction's rights decide; the scene runtime starts before the interaction exists.
      mayRunHandler: (id, event) => this.interaction.rights.mayRunHandler(id, event),
    }).start();
    this.bodies = new RoomBodies({
      room: this.session.room,
      selfId: this.pose.channel.selfId,
      presence: () => this.interaction.presence,
      // ROLE13: the interaction exists by the first frame; its rights say what a viewer's page may claim.
      claims: bodyClaimRights(() => this.interaction.rights, this.session.awareness),
      channel: this.pose.channel,
      heldPose: (id) => this.interaction.grabs.heldPose(id),
      // The physics' own host (a worker, or in process without Worker) unless a test or `?physics=main` chooses.
      ...(options.physicsHost ? { loadHost: options.physicsHost } : {}),
    });
    this.physics = this.bodies.physics;
    this.interaction = new RoomInteraction({
      session: this.session,
      channel: this.pose.channel,
      runtime: this.scene,
      registry: this.objects,
      bodies: this.bodies,
      ...(options.now ? { now: options.now } : {}),
    });
    this.comfort = new ComfortSettings(options.deviceStorage);
    this.voiceLoading = new RoomVoice(
      options.voice && { ...options.voice, roomId: options.roomId, selfId: peerIdOf(this.session.awareness) },
      this.session.status,
      () => this.scene.view.get().model?.environment.voice,
      ownerMuteSource(this.session),
    );
    this.voice = this.voiceLoading.chat;
    this.stops.push(() => this.voiceLoading.destroy());
    this.placement = new StartPlacement(this.session.awareness, this.view, () => !this.inXR);
    this.stops.push(this.placement.start());
    this.onSceneView(this.scene.view.get());
    this.stops.push(this.scene.view.subscribe((view) => this.onSceneView(view)));
    // ROOM5: any change of the room document, this person's or a peer's, wakes the drawing.
    const onDocumentUpdate = () => this.demand.wake('document', performance.now());
    this.session.doc.on('update', onDocumentUpdate);
    this.stops.push(() => this.session.doc.off('update', onDocumentUpdate));
    this.demand.wake('start', performance.now());
    if (options.loadLobby) {
      const loadLobby = options.loadLobby;
      this.stops.push(
        startLobbySeeding({
          room: this.session.room,
          status: this.session.status,
          webrtcSynced: () => (this.session.webrtc ? rtcRoomSynced(this.session.webrtc) : false),
          othersHere: () => this.pose.channel.peerList.get().length > 0,
          loadLobby,
        }),
      );
    }
  }

  /**
   * ROOM10: the page's XR session source, handed over when its code has loaded, which may be
   * long after the room opened and connected; the room follows its sessions from then on.
   * A room has one source: a second one, or one handed to a destroyed room, is a programmer error.
   */
  attachXR(source: XRSessionSource): void {
    if (this.destroyed) throw new Error('attachXR: the room was destroyed; destroy the XR store instead');
    if (this.xrSource) throw new Error('attachXR: the room already follows an XR store');
    this.xrSource = source;
    this.stops.push(followXRSessions(source, (session) => this.enterXR(session)));
  }

  /**
   * Everything the room does per rendered frame (the XR frame in a headset),
   * in this order. `time` is milliseconds on the renderer's clock.
   */
  frame(time: number, xrFrame?: XRFrame): void {
    this.takeOverFrames();
    this.frameSteps(time, xrFrame);
    // 10. Counters for tests, benchmarks and the HUD.
    if (this.stats.frames++ === 0) this.timeline.mark('first_frame');
    if (xrFrame) this.stats.xrFrames++;
    this.stats.lastFrameAt = performance.now();
    if (this.stats.interactiveAt === 0 && this.viewport?.element && this.scene.view.get().phase === 'ready') {
      this.stats.interactiveAt = this.stats.lastFrameAt;
      markRoomInteractive();
    }
    //     Voice's code and the scene's handlers' are fetched after that mark, not before it (LOAD9, LOAD19).
    if (this.scene.view.get().phase === 'ready') {
      void this.voiceLoading.load();
      this.scene.loadHandlersWhenUsed();
    }
  }

  /**
   * ROOM6: runs the room's frames on a 60 Hz timer while this page holds its
   * renderer back (the join has not settled; then the renderer is made and its
   * first frame compiles the shaders), so that the pose channel ticks (PINGs,
   * HELLOs, this person's own pose), everyone else's poses are sampled and the
   * join goes on as in `?render=off` (headless-frames.ts). The renderer's
   * display loop ends them with its first call (`frame()` or `idle()`): never
   * both, and ROOM1's one order in both. A held frame runs steps 1-9 and is
   * counted in `stats.heldFrames`, not as a drawn frame (no `first_frame`, no
   * interactive mark, no voice load: LOAD9).
   */
  holdFrames(): void {
    if (this.displayLoopStarted || this.stopHeldFrames || this.destroyed) return;
    this.stopHeldFrames = runFramesOnTimer(this, (time) => this.heldFrame(time), this.options.now);
  }

  private heldFrame(time: number): void {
    this.frameSteps(time);
    this.stats.heldFrames++;
  }

  /** The renderer's display loop runs the frames from now on: held frames end here (ROOM6). */
  private takeOverFrames(): void {
    if (this.displayLoopStarted) return;
    this.displayLoopStarted = true;
    if (!this.stopHeldFrames) return;
    this.stopHeldFrames();
    this.stopHeldFrames = undefined;
    // The renderer's first frame starts from a step of 0, not from the last held frame before it was made.
    this.lastTime = undefined;
  }

  /** ROOM1 steps 1-9, for drawn frames and held ones alike. */
  private frameSteps(time: number, xrFrame?: XRFrame): void {
    const dt = this.lastTime === undefined ? 0 : Math.max(0, time - this.lastTime);
    this.lastTime = time;
    const camera = this.viewport?.camera;
    const space = xrFrame ? (this.viewport?.xrReferenceSpace?.() ?? null) : null;

    // 1. Input. Outside XR the desktop view walks, drags and places the camera (DESK1-DESK6);
    //    in a headset the controllers and hands move the person, grab and aim (XR1-XR3, LOCO1-LOCO4),
    //    then the in-world menu's button (MENU1), with the head where this frame's pose put it (RoomXR).
    if (!this.inXR) this.desktop?.frame(dt);
    this.xr.get()?.frame(xrFrame, space, this.xrOrigin, camera, dt, this.bounds.floorRadius);
    // 2. Grabs, after input so that a grab made this frame streams this frame: throws fly, holds stream (GRAB3).
    this.interaction.streamFrame(dt);
    // 3. Physics, after 2 so that a body let go this frame falls this frame and a held one pushes others:
    //    fixed steps, then moving bodies this page simulates stream and resting ones are written down (PHYS4-PHYS7).
    this.physics.get()?.frame(dt);
    // 4. This person's head (the camera the input just placed) and hands into the channel (POSE17).
    if (camera) publishOwnAvatar(this.pose.channel, camera, xrFrame, space);
    // 5. The channel's tick, after 2-4, so this frame's holds, bodies and pose go out in this frame's batches;
    //    on a display faster than 60 Hz only when a send window is due (POSE18), else the frame's time is marked.
    if (this.sendWindows.due(this.pose.channel.markFrame())) this.pose.channel.tick();
    // 6. The scene's own motion: @animated, @glowing (TRAIT1, TRAIT2).
    //    On the room clock, not the renderer's: every page shows the same phase (CLOCK1).
    this.behaviours.tick(this.clock.update() / 1000);
    // 7. Held, simulated and streamed objects where they are (GRAB10); after 6, so hands and bodies have the last word.
    this.interaction.drawFrame();
    // 8. Everyone else's avatar at this frame's render time (POSE11), which the tick set.
    this.avatars.sample(this.pose.channel, camera);
    // 9. Voices at their speakers' heads, at the same render time as 8, ears at the camera (VOICE10).
    this.placeVoices(time);
  }

  /**
   * Whether the display frame at `now` should be drawn (ROOM5): something
   * moves on its own (an XR session, `@animated` or `@glowing` objects, a
   * body off its document pose, a hold or throw, a remote pose that moved
   * since the last display frame), or a change woke the room less than
   * WAKE_MS ago.
   */
  wantsFrame(now: number): boolean {
    const remoteChanges = this.pose.channel.remoteChanges;
    if (remoteChanges !== this.seenRemoteChanges) {
      this.seenRemoteChanges = remoteChanges;
      this.demand.wake('pose', now);
    }
    if (this.viewMoved()) this.demand.wake('view', now);
    if (this.demand.wants(now, this.moving())) return true;
    // Nothing moved while the room idled: the next drawn frame starts from a step of 0, not the idle time.
    this.lastTime = undefined;
    return false;
  }

  /** ROOM6: `joinSettled` turns true once the WebRTC join has settled, first pose included (at once without WebRTC). */
  private watchJoin(sessionStart: number): () => void {
    const settle = () => {
      this.timeline.mark('join_settled');
      this.joinSettled.set(true);
    };
    const webrtc = this.session.webrtc;
    if (!webrtc) {
      settle();
      return () => {};
    }
    const source = {
      connections: () => listRtcPeers(webrtc),
      synced: () => rtcRoomSynced(webrtc),
      // ROOM16: the first pose over WebRTC; DRAW9: once the code to draw its sender is here, so the first frame draws them.
      heardPose: () => this.pose.heardWebrtcPose.get() && this.avatars.codeReady.get(),
      othersHere: () => this.pose.channel.peerList.get().some((peer) => peer.transport === 'relay'),
      // ROOM18: nobody heard means an empty room only once the relay has said who is there.
      rosterKnown: () => this.pose.relay?.heardRoster.get() ?? true,
      onChange: (listener: () => void) => {
        const stops = [
          ...(this.pose.relay ? [this.pose.relay.heardRoster.subscribe(listener)] : []),
          onRtcPeersChanged(webrtc, listener),
          onRtcSyncedChanged(webrtc, listener),
          this.pose.heardWebrtcPose.subscribe(listener),
          this.pose.channel.peerList.subscribe(listener),
          this.avatars.codeReady.subscribe(listener),
        ];
        return () => {
          for (const stop of stops) stop();
        };
      },
    };
    return watchJoin(source, sessionStart, settle);
  }

  /**
   * Whether to draw the display frame at `now`: the room wants it (ROOM5) and
   * the pacing of a joining page lets it (ROOM4). A wanted frame held back
   * stays owed. A frame not drawn should call `idle()`.
   */
  drawsFrame(now: number): boolean {
    if (!this.wantsFrame(now)) return false;
    if (this.pacing.draw(now)) return true;
    this.demand.owe(now);
    return false;
  }

  /** Whether the desktop view moved since the last display frame asked (input moves it, and so do placements). */
  private viewMoved(): boolean {
    const { position, yaw, pitch } = this.view;
    const seen = this.seenView;
    if (
      seen[0] === position.x &&
      seen[1] === position.y &&
      seen[2] === position.z &&
      seen[3] === yaw &&
      seen[4] === pitch
    ) {
      return false;
    }
    seen[0] = position.x;
    seen[1] = position.y;
    seen[2] = position.z;
    seen[3] = yaw;
    seen[4] = pitch;
    return true;
  }

  /** What moves by itself right now and so needs every frame, if anything. */
  private moving(): WakeReason | undefined {
    if (this.inXR) return 'xr';
    if (this.behaviours.size > 0) return 'animation';
    if (this.physics.get()?.moving) return 'physics';
    if (this.interaction.grabs.active) return 'interaction';
    return undefined;
  }

  /**
   * A display frame that is not drawn (ROOM4, ROOM5): the pose channel ticks if a
   * send window is due, so pings, hellos and keyframes keep their times.
   */
  idle(): void {
    this.takeOverFrames();
    if (this.sendWindows.due(this.pose.channel.markFrame())) this.pose.channel.tick();
    // Sound does not wait for a drawn frame (ROOM5): voices follow heads and speaking is measured.
    this.placeVoices(performance.now());
  }

  /** ROOM1 step 9, also in display frames not drawn. */
  private placeVoices(time: number): void {
    const camera = this.viewport?.camera;
    const voice = this.voice.get();
    if (!voice || !camera) return;
    voice.frame(this.pose.channel, camera.getWorldPosition(ears), camera.getWorldQuaternion(earsRotation), time);
  }

  /** The renderer's camera and canvas; returns a function that detaches them. */
  attach(viewport: RoomViewport): () => void {
    this.viewport = viewport;
    const { element } = viewport;
    let detachInput = () => {};
    if (element) {
      this.objects.setViewer(viewport.camera, element);
      this.desktop = new DesktopInput({
        element,
        view: this.view,
        camera: () => viewport.camera,
        interaction: () => this.interaction,
        bounds: () => this.bounds,
        enabled: () => !this.inXR,
        onMoved: () => this.placement.settle(),
      });
      detachInput = this.desktop.attach();
    }
    return () => {
      detachInput();
      if (this.viewport === viewport) {
        this.viewport = undefined;
        this.desktop = undefined;
      }
    };
  }

  /** The XR origin group locomotion moves (mounted by the XR view); returns a detach function. */
  attachXROrigin(origin: Object3D): () => void {
    this.xrOrigin = origin;
    return () => {
      if (this.xrOrigin === origin) this.xrOrigin = undefined;
    };
  }

  /**
   * Loads the headset's parts once (LOAD12): the XR layer calls this where the browser
   * offers XR, and lets "Enter VR" start a session only once it has resolved.
   */
  loadXR(): Promise<RoomXR> {
    this.xrLoad ??= import('./room-xr.ts').then(({ RoomXR }) => {
      const xr = new RoomXR({
        interaction: () => this.interaction,
        cast: (from, to, hit) => this.interaction.objects.segmentCast(from, to, hit),
        comfort: () => this.comfort.settings.get(),
      });
      if (this.destroyed) xr.dispose();
      else this.xr.set(xr);
      return xr;
    });
    return this.xrLoad;
  }

  /**
   * The room's physics, loading its code first if no scene has had a body yet (LOAD15): for
   * tests that watch it from before the first body. Undefined when the room was destroyed or the
   * code failed to load.
   */
  loadPhysics(): Promise<RoomPhysics | undefined> {
    return this.bodies.load();
  }

  /**
   * Voice now, loading it first if the room has not yet (LOAD9): for a press of the
   * microphone button before then. Undefined on pages without voice.
   */
  loadVoice(): Promise<VoiceChat | undefined> {
    return this.voiceLoading.load();
  }

  /** The room's parser pool, started on first use. */
  parser(): Promise<ScriptParser> {
    this.parserStart ??= this.options.parser().catch((error: unknown) => {
      this.parserStart = undefined; // a later request tries again
      throw error;
    });
    return this.parserStart;
  }

  /** The page is going away: say goodbye on every transport and put down what is held. */
  leave(): void {
    // Presence first (PRES1), then the avatar (BYE, POSE15): both are synchronous sends.
    this.session.leave();
    this.pose.channel.sayGoodbye();
    // What this tab holds is put down where it is, if the update still gets out; otherwise the
    // others free it once this peer is gone (GRAB4, GRAB6).
    this.interaction.grabs.releaseAll();
  }

  /**
   * Enter on the object with keyboard focus (ACC5): runs its click handler
   * through the scene runtime as a pointer click does (TRAIT3), at the
   * object's origin. Returns false when no clickable object has focus.
   */
  clickFocused(): boolean {
    const target = this.focus.current();
    if (!target?.clickable) return false;
    clickPoint.set(0, 0, 0);
    this.objects.get(target.id)?.getWorldPosition(clickPoint);
    this.scene.dispatch(target.id, 'click', { point: [clickPoint.x, clickPoint.y, clickPoint.z] });
    return true;
  }

  /**
   * PRES5: the page was hidden (true) or shown again (false). Everyone's list
   * shows this person as away at once; what they hold is put down after
   * AWAY_RELEASE_MS unless the page is shown again first.
   */
  setAway(away: boolean): void {
    this.session.setAway(away);
    clearTimeout(this.awayRelease);
    this.awayRelease = away ? setTimeout(() => this.interaction.grabs.releaseAll(), AWAY_RELEASE_MS) : undefined;
    this.stopAwaySends?.();
    this.stopAwaySends = away ? this.sendWhileAway() : undefined;
  }

  /**
   * PRES9: a hidden page draws no frames, and the pose channel ticks only in
   * frames (`frameSteps`, `idle`), so someone who arrives while this page is
   * hidden would get no pose from it. While hidden, a change in the channel's
   * peers (a link came up: a newcomer, or a better link) ticks the channel in a
   * microtask of the task that brought it, so the newcomer gets this person's
   * last pose as a keyframe at once (POSE8), without waiting for a frame; the
   * relay transport sends it at the tick's end (its flush), like a frame's.
   */
  private sendWhileAway(): () => void {
    let queued = false;
    const tick = () => {
      queued = false;
      if (this.destroyed) return;
      // Where this person stands: the desktop view, which frames copy to the camera (step 1). A page
      // hidden before its first frame has published no pose at all; in XR the last frame's stays.
      if (!this.inXR)
        this.pose.channel.setAvatarPart(PART_HEAD, this.view.position, viewQuaternion(this.view, awayRotation));
      this.pose.channel.tick();
    };
    return this.pose.channel.peerList.subscribe(() => {
      if (queued) return;
      queued = true;
      queueMicrotask(tick);
    });
  }

  /** The page came back from the back/forward cache: announce this person again. */
  rejoin(): void {
    this.session.rejoin();
  }

  inspect(): RoomInspection {
    const voice = this.voice;
    const xr = this.xr;
    const physics = this.physics;
    const xrSource = () => this.xrSource;
    return {
      roomId: this.id,
      session: this.session,
      scene: this.scene,
      sceneObjects: this.objects,
      pose: this.pose,
      interaction: this.interaction,
      // A getter: the physics loads with the first scene that has a body (LOAD15).
      get physics() {
        return physics.get();
      },
      loadPhysics: () => this.loadPhysics(),
      view: this.view,
      // Getters: the headset's parts load with the XR layer (LOAD12), after this inspection was made.
      get xr() {
        return xr.get()?.controls;
      },
      // A getter: the XR store may be handed over after this inspection was made (ROOM10).
      get xrStore() {
        return xrSource();
      },
      frameStats: this.stats,
      roomClock: () => this.clock.inspect(),
      timeline: this.timeline,
      framePacing: this.pacing,
      renderDemand: this.demand,
      resolution: this.resolution,
      parser: () => this.parser(),
      avatars: () => this.avatars.rendered(),
      // A getter: voice loads after the room is ready (LOAD9), after this inspection was made.
      get voice() {
        return voice.get()?.inspect();
      },
      xrMenu: {
        open: () => xr.get()?.menu.open.get() ?? false,
        items: () => xr.get()?.menu.drawnItems() ?? [],
        hovered: () => xr.get()?.menu.hoveredBy(),
      },
      comfort: {
        settings: () => this.comfort.settings.get(),
        vignetteShown: () => xr.get()?.vignette.root.visible ?? false,
      },
      toXRSpace: ([x, y, z]) => {
        const rig = xr.get()?.controls.rig;
        if (!rig) return [x, y, z];
        rigSpace
          .set(x - rig.position.x, y - rig.position.y, z - rig.position.z)
          .applyAxisAngle(UP, -rig.yaw)
          .divideScalar(rig.scale);
        return [rigSpace.x, rigSpace.y, rigSpace.z];
      },
    };
  }

  destroy(): void {
    clearTimeout(this.awayRelease);
    this.stopAwaySends?.();
    this.stopHeldFrames?.();
    for (const stop of this.stops.splice(0)) stop();
    this.scene.destroy();
    this.interaction.destroy();
    // After interaction: what was held is handed to the simulation, which writes it down here.
    this.bodies.destroy();
    this.destroyed = true;
    this.xr.get()?.dispose();
    this.pose.destroy();
    this.session.destroy();
    this.parserStart?.then(
      (parser) => parser.close(),
      () => {},
    );
  }

  private onSceneView(view: SceneView): void {
    this.bodies.setModel(view.model);
    this.bounds = roomBounds(view.model?.environment);
    this.voiceLoading.setEnvironment(view.model?.environment.voice);
    this.placement.setViewpoint(viewpointOf(view, this.bounds.scale));
    this.focus.setTargets(focusTargets(view.model?.roots ?? []));
  }

  /** A session began: the headset starts where the desktop view stood (LOCO5). */
  private enterXR(session: XRSession): () => void {
    this.inXR = true;
    this.session.setInXR(true);
    // Entering XR can suspend the audio context (VOICE7); the Enter VR press was a gesture.
    this.voice.get()?.resumeAudio();
    // The headset's parts are loaded before "Enter VR" is enabled (LOAD12).
    const controls = this.xr.get()?.controls;
    if (controls) {
      const { rig } = controls;
      rig.scale = this.bounds.scale;
      rig.position.set(this.view.position.x, 0, this.view.position.z);
      rig.yaw = this.view.yaw;
      if (this.xrOrigin) controls.applyRig(this.xrOrigin);
    }
    const onSelect = (event: XRInputSourceEvent) => {
      if (event.inputSource.hand) controls?.setPinch(event.inputSource.handedness, event.type === 'selectstart');
    };
    session.addEventListener('selectstart', onSelect);
    session.addEventListener('selectend', onSelect);
    return () => {
      session.removeEventListener('selectstart', onSelect);
      session.removeEventListener('selectend', onSelect);
      // Back on the display: draw the desktop view (ROOM5).
      this.demand.wake('xr', performance.now());
      if (controls) {
        controls.releaseAll();
        // ... and the desktop view comes back where the head was, level.
        controls.headWorld(head);
        if (head.lengthSq() > 0) {
          this.view.position.copy(head);
          this.view.yaw = controls.headYaw();
          this.view.pitch = 0;
        }
      }
      this.inXR = false;
      this.session.setInXR(false);
      this.xr.get()?.menu.close();
    };
  }
}

/** Opens a room: its session connects, its scene follows the script, its channel finds peers. */
export function openRoom(options: RoomOptions): Room {
  return new Room(options);
}

/** The scene's viewpoint (CAM1), or the default one scaled to the room's people (LOCO6). */
function viewpointOf(view: SceneView, scale: number): Viewpoint {
  const camera = view.model?.camera;
  if (camera) return { position: [...camera.position], target: [...camera.target] };
  const s = (v: readonly number[]): [number, number, number] => [
    (v[0] as number) * scale,
    (v[1] as number) * scale,
    (v[2] as number) * scale,
  ];
  return { position: s(DEFAULT_VIEWPOINT.position), target: s(DEFAULT_VIEWPOINT.target) };
}

/**
 * VOICE17 (MOD6): whose voice the owner muted for everyone, from the session's verified entries;
 * voice applies it from the moment its code has loaded (LOAD9), before its microphone starts. None
 * in an open room.
 */
function ownerMuteSource(session: RoomSession): OwnerMuteSource | undefined {
  const moderation = session.moderation;
  if (!moderation) return undefined;
  return { self: session.sessionKey && sessionId(session.sessionKey.publicKey), muted: moderation.voiceMuted };
}
