/**
 * Mouse, touch and keyboard on desktop and phones (docs/interaction.md
 * DESK1-DESK6): pointer events on the canvas become looking, walking and
 * dragging objects; the view is copied into the camera every frame.
 *
 *   one pointer on empty space  -> look (DESK1)
 *   one pointer on a @grabbable -> drag it (DESK5; ownership as GRAB1-GRAB4)
 *   two fingers                 -> pinch to move forward/back, drag to pan (DESK3)
 *   wheel                       -> move along the view (DESK3)
 *   W A S D / arrows / E Q      -> walk (DESK2)
 *   a press that moved more than CLICK_SLOP_PX clicks nothing (DESK4)
 *   a mouse over a @grabbable         -> the open hand, checked every frame (DESK7)
 */
import { type PerspectiveCamera, Plane, Vector3 } from 'three';
import { takesTyping } from '../../core/typing-target.ts';
import {
  clampView,
  type DesktopView,
  keyboardMove,
  lookDrag,
  MOVEMENT_KEYS,
  moveAlongView,
  PINCH_METRES_PER_PIXEL,
  panView,
  viewQuaternion,
  WHEEL_METRES_PER_PIXEL,
} from '../move/desktop-view.ts';
import { dragPlane, dragPoint } from '../move/drag-plane.ts';
import type { RoomBounds } from '../move/room-bounds.ts';
import { createPose } from '../pose.ts';
import type { RoomInteraction } from '../room-interaction.ts';

/** DESK4: farther than this between press and release is a drag, not a click. */
const CLICK_SLOP_PX = 6;
const POINTER_GRABBER = 'pointer';

interface TrackedPointer {
  x: number;
  y: number;
  startX: number;
  startY: number;
}

const forward = new Vector3();
const grabPoint = new Vector3();

export interface DesktopInputOptions {
  element: HTMLCanvasElement;
  view: DesktopView;
  camera(): PerspectiveCamera;
  interaction(): RoomInteraction | undefined;
  bounds(): RoomBounds;
  /** Off while an XR session drives the camera. */
  enabled(): boolean;
  /** Called when the person moved themselves (START3: no longer "fresh"). */
  onMoved?(): void;
}

export class DesktopInput {
  readonly keys = new Set<string>();
  private readonly pointers = new Map<number, TrackedPointer>();
  private mode: 'none' | 'look' | 'drag' | 'gesture' = 'none';
  private dragPointer = -1;
  private readonly plane = new Plane();
  private readonly grabber = createPose();
  private gesture = { distance: 0, x: 0, y: 0 };
  private moved = false;
  private suppressClick = false;
  /** Where a mouse with no button down is over the canvas; undefined when it is not (DESK7). */
  private hovering: { x: number; y: number } | undefined;
  private readonly stops: (() => void)[] = [];

  constructor(private readonly options: DesktopInputOptions) {}

  attach(): () => void {
    const { element } = this.options;
    // The page must not scroll or zoom under a finger on the canvas.
    element.style.touchAction = 'none';
    const on = <K extends keyof HTMLElementEventMap>(
      target: HTMLElement | Window,
      type: K,
      listener: (event: HTMLElementEventMap[K]) => void,
      options?: AddEventListenerOptions,
    ) => {
      target.addEventListener(type, listener as EventListener, options);
      this.stops.push(() => target.removeEventListener(type, listener as EventListener, options));
    };
    on(element, 'pointerdown', (event) => this.pointerDown(event));
    on(element, 'pointermove', (event) => this.pointerMove(event));
    on(element, 'pointerup', (event) => this.pointerUp(event));
    on(element, 'pointercancel', (event) => this.pointerUp(event));
    on(element, 'pointerleave', () => {
      this.hovering = undefined;
    });
    on(element, 'click', (event) => this.click(event), { capture: true });
    on(element, 'wheel', (event) => this.wheel(event), { passive: false });
    on(window, 'keydown', (event) => this.keyDown(event));
    on(window, 'keyup', (event) => this.keys.delete(event.code));
    on(window, 'blur', () => this.keys.clear());
    return () => {
      for (const stop of this.stops.splice(0)) stop();
      this.endDrag();
    };
  }

  /**
   * Every frame: walk with the held keys, keep a dragged object under the
   * pointer, place the camera, and show what is under a still mouse (DESK7).
   */
  frame(dtMs: number): void {
    if (!this.options.enabled()) return;
    const { view } = this.options;
    const bounds = this.options.bounds();
    if (keyboardMove(view, this.keys, dtMs, bounds.scale)) this.movedSelf();
    clampView(view, bounds.floorRadius, bounds.scale);
    const camera = this.options.camera();
    camera.position.copy(view.position);
    viewQuaternion(view, camera.quaternion);
    camera.updateMatrixWorld();
    if (this.mode === 'drag') {
      const pointer = this.pointers.get(this.dragPointer);
      if (pointer) this.dragTo(pointer.x, pointer.y);
    }
    // DESK7: objects move and the view turns under a still mouse; one pick per frame, only while it is over the canvas.
    if (this.hovering && this.pointers.size === 0) this.hover(this.hovering.x, this.hovering.y);
  }

  private movedSelf(): void {
    this.options.onMoved?.();
  }

  private pointerDown(event: PointerEvent): void {
    if (!this.options.enabled()) return;
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    this.pointers.set(event.pointerId, {
      x: event.clientX,
      y: event.clientY,
      startX: event.clientX,
      startY: event.clientY,
    });
    if (this.pointers.size === 1) {
      this.moved = false;
      this.mode = this.tryGrab(event) ? 'drag' : 'look';
      if (this.mode === 'drag') this.dragPointer = event.pointerId;
      this.capture(event.pointerId);
    } else if (this.mode !== 'drag' && this.pointers.size === 2) {
      this.mode = 'gesture';
      this.gesture = this.twoFingers();
      this.capture(event.pointerId);
    }
  }

  private capture(pointerId: number): void {
    try {
      this.options.element.setPointerCapture(pointerId);
    } catch {
      // A pointer that is already gone cannot be captured; its events simply stop.
    }
  }

  private tryGrab(event: PointerEvent): boolean {
    const interaction = this.options.interaction();
    if (!interaction) return false;
    const camera = this.options.camera();
    const pick = interaction.objects.pickAtScreen(event.clientX, event.clientY, camera, this.options.element);
    if (!pick) return false;
    const objectPose = createPose();
    if (!interaction.objects.worldPose(pick.id, objectPose)) return false;
    camera.getWorldDirection(forward);
    dragPlane(event.shiftKey ? 'vertical' : 'horizontal', pick.point, forward, this.plane);
    this.grabber.position.copy(pick.point);
    this.grabber.quaternion.identity();
    const result = interaction.grabs.grab(
      POINTER_GRABBER,
      pick.id,
      this.grabber,
      objectPose,
      interaction.objects.bottomOf(pick.id),
    );
    if (result !== 'held') return false;
    this.options.element.style.cursor = 'grabbing';
    return true;
  }

  private pointerMove(event: PointerEvent): void {
    const pointer = this.pointers.get(event.pointerId);
    if (!pointer) {
      // The next frame picks there (DESK7): a move wakes the room (ROOM5), so that frame comes.
      if (event.pointerType === 'mouse') this.hovering = { x: event.clientX, y: event.clientY };
      return;
    }
    const dx = event.clientX - pointer.x;
    const dy = event.clientY - pointer.y;
    pointer.x = event.clientX;
    pointer.y = event.clientY;
    if (Math.hypot(pointer.x - pointer.startX, pointer.y - pointer.startY) > CLICK_SLOP_PX) this.moved = true;
    if (!this.options.enabled()) return;
    if (this.mode === 'drag' && event.pointerId === this.dragPointer) this.dragTo(pointer.x, pointer.y);
    else if (this.mode === 'look') {
      const camera = this.options.camera();
      lookDrag(this.options.view, dx, dy, camera.fov, this.options.element.clientHeight);
      if (this.moved) this.movedSelf();
    } else if (this.mode === 'gesture' && this.pointers.size >= 2) {
      const next = this.twoFingers();
      const scale = this.options.bounds().scale;
      moveAlongView(this.options.view, (next.distance - this.gesture.distance) * PINCH_METRES_PER_PIXEL * scale);
      panView(this.options.view, next.x - this.gesture.x, next.y - this.gesture.y, scale);
      this.gesture = next;
      this.movedSelf();
    }
  }

  /**
   * A mouse over a @grabbable shows the open hand, or "not allowed" on a page
   * that may not grab (ROLE10, ROLE11); over anything else, whatever the page shows.
   */
  private hover(x: number, y: number): void {
    if (!this.options.enabled()) return;
    const interaction = this.options.interaction();
    const over = interaction?.objects.pickAtScreen(x, y, this.options.camera(), this.options.element) !== undefined;
    const refused = over && interaction?.rights.grabsShared() === false;
    const cursor = over ? (refused ? 'not-allowed' : 'grab') : '';
    if (this.options.element.style.cursor === cursor) return;
    this.options.element.style.cursor = cursor;
    this.options.element.title = refused ? (interaction?.rights.hint ?? '') : '';
  }

  private dragTo(x: number, y: number): void {
    const interaction = this.options.interaction();
    if (!interaction) return;
    const ray = interaction.objects.screenRay(x, y, this.options.camera(), this.options.element);
    if (!dragPoint(ray, this.plane, grabPoint)) return;
    this.grabber.position.copy(grabPoint);
    interaction.grabs.move(POINTER_GRABBER, this.grabber);
  }

  private pointerUp(event: PointerEvent): void {
    if (!this.pointers.delete(event.pointerId)) return;
    if (event.pointerType === 'mouse') this.hovering = { x: event.clientX, y: event.clientY };
    if (this.moved) {
      // The click that follows this release is the end of a drag, not a click (DESK4).
      this.suppressClick = true;
      setTimeout(() => {
        this.suppressClick = false;
      }, 0);
    }
    if (this.mode === 'drag' && event.pointerId === this.dragPointer) this.endDrag();
    if (this.pointers.size === 0) this.mode = 'none';
    else if (this.mode === 'gesture') this.mode = 'look';
  }

  private endDrag(): void {
    if (this.mode !== 'drag') return;
    this.mode = 'none';
    this.dragPointer = -1;
    this.options.element.style.cursor = 'grab';
    // THROW4: dragging with a mouse or finger never throws.
    this.options.interaction()?.grabs.release(POINTER_GRABBER, false);
  }

  private click(event: MouseEvent): void {
    if (!this.suppressClick) return;
    this.suppressClick = false;
    event.stopPropagation();
    event.stopImmediatePropagation();
  }

  private twoFingers(): { distance: number; x: number; y: number } {
    const [a, b] = [...this.pointers.values()];
    if (!a || !b) return { distance: 0, x: 0, y: 0 };
    return { distance: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  }

  private wheel(event: WheelEvent): void {
    if (!this.options.enabled()) return;
    event.preventDefault();
    const pixels =
      event.deltaMode === 1 ? event.deltaY * 16 : event.deltaMode === 2 ? event.deltaY * 400 : event.deltaY;
    moveAlongView(this.options.view, -pixels * WHEEL_METRES_PER_PIXEL * this.options.bounds().scale);
    this.movedSelf();
  }

  private keyDown(event: KeyboardEvent): void {
    if (takesTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!MOVEMENT_KEYS.has(event.code) && event.code !== 'ShiftLeft' && event.code !== 'ShiftRight') return;
    if (!this.options.enabled()) return;
    this.keys.add(event.code);
    // Arrows and page keys would scroll the page instead.
    if (event.code.startsWith('Arrow') || event.code.startsWith('Page')) event.preventDefault();
  }
}
