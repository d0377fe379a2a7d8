/**
 * The in-world menu's state (docs/interaction.md MENU1-MENU5): open or closed, where
 * it floats, and the drawn items tests can aim at. The left controller's menu
 * button (X on a Quest, gamepad button 4) toggles it in the room's frame
 * (ROOM1 step 1); it opens in front of the head, below eye level, facing the
 * person, and stays there so it never follows the view. Closed, nothing of it
 * is drawn. Every button is pressed by a controller's or hand's ray (the
 * renderer's pointer events) or by a hand's index fingertip (MENU6, here,
 * each frame); what a ray or a fingertip hovers is highlighted. Plain
 * TypeScript; app/render/xr-menu/ draws it.
 *
 * @example
 *   menu.frame(xrFrame, camera, xr.hands);   // room.frame(), step 1
 *   menu.open.subscribe((open) => ...);
 */
import { type Object3D, Vector3 } from 'three';
import { createStore, type Store } from '../core/store.ts';
import { Fingertip, type PokeFace } from '../interaction/input/poke.ts';
import type { InteractionRights } from '../interaction/interaction-rights.ts';

/** `xr-standard` gamepad index of the left controller's X button. */
const MENU_BUTTON = 4;
/** How far in front of the eyes the menu opens, and how far below them, metres. */
const MENU_DISTANCE = 0.6;
const MENU_DROP = 0.15;

const eyes = new Vector3();
const forward = new Vector3();
const world = new Vector3();

export interface XRMenuItem {
  id: string;
  position: [number, number, number];
}

/** What the renderer registers for one drawn item: its mesh, its face's size, and what a press does. */
export interface XRMenuItemSpec {
  object: Object3D;
  width: number;
  height: number;
  /** Absent for labels, which nothing presses. */
  press?: () => void;
}

/** A hand as XR input sees it this frame: its index fingertip in the world, when tracked. */
export interface FingertipInput {
  fingertip: Vector3;
  fingertipTracked: boolean;
}

class ItemFace implements PokeFace {
  constructor(
    readonly id: string,
    readonly spec: XRMenuItemSpec,
  ) {}
  get width(): number {
    return this.spec.width;
  }
  get height(): number {
    return this.spec.height;
  }
  toLocal(world: Vector3, target: Vector3): Vector3 {
    return this.spec.object.worldToLocal(target.copy(world));
  }
}

export class XRMenu {
  readonly open: Store<boolean> = createStore(false);
  /** MENU5: the scene whose first press asked "switch everyone?"; a second press switches. */
  readonly armedScene: Store<string | undefined> = createStore<string | undefined>(undefined);
  /** Where the open menu floats (world), and the yaw it faces the person with. */
  readonly anchor = { position: new Vector3(), yaw: 0 };
  /** The item a fingertip or a ray hovers (drawn highlighted); a fingertip's wins. */
  readonly hovered: Store<string | undefined> = createStore<string | undefined>(undefined);
  private pressed = false;
  private readonly items = new Map<string, ItemFace>();
  /** Only the items that can be pressed: what fingertips poke. */
  private readonly buttons = new Set<ItemFace>();
  private readonly fingertips = { left: new Fingertip(), right: new Fingertip() };
  private rayHovered: string | undefined;

  /**
   * ROOM1 step 1: a press of the menu button (not a hold) toggles the menu;
   * while it is open, each hand's index fingertip pokes its buttons (MENU6).
   */
  frame(xrFrame: XRFrame, head: Object3D, hands: { left: FingertipInput; right: FingertipInput }): void {
    let down = false;
    for (const source of xrFrame.session.inputSources) {
      if (source.handedness === 'left' && source.gamepad?.buttons[MENU_BUTTON]?.pressed) down = true;
    }
    if (down && !this.pressed) this.toggle(head);
    this.pressed = down;
    if (this.open.get()) {
      this.poke(this.fingertips.left, hands.left);
      this.poke(this.fingertips.right, hands.right);
    }
    this.showHovered();
  }

  /** A ray entered (`on`) or left an item (the renderer's pointer events). */
  rayHover(id: string, on: boolean): void {
    if (on) this.rayHovered = id;
    else if (this.rayHovered === id) this.rayHovered = undefined;
    this.showHovered();
  }

  toggle(head: Object3D): void {
    if (this.open.get()) {
      this.close();
      return;
    }
    head.getWorldPosition(eyes);
    head.getWorldDirection(forward); // three's cameras look down -Z; getWorldDirection gives that direction
    forward.y = 0;
    if (forward.lengthSq() < 1e-6) forward.set(0, 0, -1);
    forward.normalize();
    this.anchor.position.copy(eyes).addScaledVector(forward, MENU_DISTANCE);
    this.anchor.position.y -= MENU_DROP;
    this.anchor.yaw = Math.atan2(-forward.x, -forward.z);
    this.open.set(true);
  }

  close(): void {
    this.open.set(false);
    this.pressed = false;
    this.armedScene.set(undefined);
    this.fingertips.left.reset();
    this.fingertips.right.reset();
    this.rayHovered = undefined;
    this.showHovered();
  }

  /**
   * MENU5 (SCENE2 in the headset, where no dialog can be shown): the first
   * press on a scene asks, a second press on the same scene confirms. True
   * when this press confirms. A page that may not change shared things (a
   * viewer's, ROLE10) never switches: switching rewrites the room document.
   */
  pressScene(id: string, rights: Pick<InteractionRights, 'changesShared'>): boolean {
    if (!rights.changesShared) {
      this.armedScene.set(undefined);
      return false;
    }
    if (this.armedScene.get() === id) {
      this.armedScene.set(undefined);
      return true;
    }
    this.armedScene.set(id);
    return false;
  }

  /** The renderer registers each drawn item; returns a function that removes it. */
  register(id: string, spec: XRMenuItemSpec): () => void {
    const face = new ItemFace(id, spec);
    this.items.set(id, face);
    if (spec.press) this.buttons.add(face);
    return () => {
      this.buttons.delete(face);
      if (this.items.get(id) === face) this.items.delete(id);
      this.rayHover(id, false);
    };
  }

  /** Where each drawn item is now (tests aim rays and fingertips at them). Allocates. */
  drawnItems(): XRMenuItem[] {
    return [...this.items].map(([id, face]) => {
      face.spec.object.getWorldPosition(world);
      return { id, position: [world.x, world.y, world.z] };
    });
  }

  private poke(tip: Fingertip, hand: FingertipInput): void {
    const pressed = tip.update(hand.fingertipTracked ? hand.fingertip : undefined, this.buttons);
    if (pressed !== undefined) this.items.get(pressed)?.spec.press?.();
  }

  /** What is hovered, and by what: a fingertip (MENU6) or a ray. For the inspection. */
  hoveredBy(): { id: string; by: 'fingertip' | 'ray' } | undefined {
    const tip = this.fingertips.right.hovered ?? this.fingertips.left.hovered;
    if (tip !== undefined) return { id: tip, by: 'fingertip' };
    return this.rayHovered !== undefined ? { id: this.rayHovered, by: 'ray' } : undefined;
  }

  private showHovered(): void {
    const hovered = this.fingertips.right.hovered ?? this.fingertips.left.hovered ?? this.rayHovered;
    if (hovered !== this.hovered.get()) this.hovered.set(hovered);
  }
}
