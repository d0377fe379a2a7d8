/**
 * The in-world menu's state (docs/interaction.md MENU1-MENU5): open or closed, where
 * it floats, and the drawn items tests can aim at. The left controller's menu
 * button (X on a Quest, gamepad button 4) toggles it in the room's frame
 * (ROOM1 step 1); it opens in front of the head, below eye level, facing the
 * person, and stays there so it never follows the view. Closed, nothing of it
 * is drawn. Plain TypeScript; app/render/xr-menu/ draws it.
 *
 * @example
 *   menu.frame(xrFrame, camera);   // room.frame(), step 1
 *   menu.open.subscribe((open) => ...);
 */
import { type Object3D, Vector3 } from 'three';
import { createStore, type Store } from '../core/store.ts';
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

export class XRMenu {
  readonly open: Store<boolean> = createStore(false);
  /** MENU5: the scene whose first press asked "switch everyone?"; a second press switches. */
  readonly armedScene: Store<string | undefined> = createStore<string | undefined>(undefined);
  /** Where the open menu floats (world), and the yaw it faces the person with. */
  readonly anchor = { position: new Vector3(), yaw: 0 };
  private pressed = false;
  private readonly items = new Map<string, Object3D>();

  /** ROOM1 step 1: a press of the menu button (not a hold) toggles the menu. */
  frame(xrFrame: XRFrame, head: Object3D): void {
    let down = false;
    for (const source of xrFrame.session.inputSources) {
      if (source.handedness === 'left' && source.gamepad?.buttons[MENU_BUTTON]?.pressed) down = true;
    }
    if (down && !this.pressed) this.toggle(head);
    this.pressed = down;
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
  register(id: string, object: Object3D): () => void {
    this.items.set(id, object);
    return () => {
      if (this.items.get(id) === object) this.items.delete(id);
    };
  }

  /** Where each drawn item is now (tests aim controller rays at them). Allocates. */
  drawnItems(): XRMenuItem[] {
    return [...this.items].map(([id, object]) => {
      object.getWorldPosition(world);
      return { id, position: [world.x, world.y, world.z] };
    });
  }
}
