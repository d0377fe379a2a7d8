import { Group, PerspectiveCamera, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { InteractionRights } from '../interaction/interaction-rights.ts';
import { type FingertipInput, XRMenu } from './xr-menu.ts';

/** An XR frame whose left controller has its X button (index 4) up or down. */
function frameWithX(down: boolean): XRFrame {
  const buttons = Array.from({ length: 7 }, (_, i) => ({ pressed: i === 4 && down, value: i === 4 && down ? 1 : 0 }));
  const left = { handedness: 'left', gamepad: { buttons } };
  const right = { handedness: 'right', gamepad: { buttons: buttons.map(() => ({ pressed: true, value: 1 })) } };
  return { session: { inputSources: [right, left] } } as unknown as XRFrame;
}

/** Controllers in both hands: no fingertips. */
const noHands = {
  left: { fingertip: new Vector3(), fingertipTracked: false },
  right: { fingertip: new Vector3(), fingertipTracked: false },
};

describe('in-world menu', () => {
  it('[MENU1] a press of the left X button opens, the next press closes; holding it does nothing more', () => {
    const menu = new XRMenu();
    const head = new PerspectiveCamera();
    menu.frame(frameWithX(false), head, noHands);
    expect(menu.open.get()).toBe(false);
    menu.frame(frameWithX(true), head, noHands);
    expect(menu.open.get()).toBe(true);
    for (let i = 0; i < 10; i++) menu.frame(frameWithX(true), head, noHands);
    expect(menu.open.get()).toBe(true);
    menu.frame(frameWithX(false), head, noHands);
    menu.frame(frameWithX(true), head, noHands);
    expect(menu.open.get()).toBe(false);
  });

  it('[MENU3] opens 0.6 m in front of the eyes, 0.15 m below, level, facing the person', () => {
    const menu = new XRMenu();
    const head = new PerspectiveCamera();
    head.position.set(1, 1.6, 2);
    head.rotation.set(-0.4, Math.PI / 2, 0, 'YXZ'); // turned left (looking down -X), and looking down
    head.updateMatrixWorld();
    menu.toggle(head);
    const { position, yaw } = menu.anchor;
    expect(position.x).toBeCloseTo(0.4);
    expect(position.y).toBeCloseTo(1.45);
    expect(position.z).toBeCloseTo(2);
    expect(yaw).toBeCloseTo(Math.PI / 2);
    menu.close();
    expect(menu.open.get()).toBe(false);
  });

  it('[MENU5] a scene switches on a second press of the same scene; another scene or closing asks again', () => {
    const menu = new XRMenu();
    const head = new PerspectiveCamera();
    const rights = new InteractionRights('editor');
    menu.toggle(head);
    expect(menu.pressScene('gallery', rights)).toBe(false);
    expect(menu.armedScene.get()).toBe('gallery');
    expect(menu.pressScene('playground', rights)).toBe(false);
    expect(menu.pressScene('playground', rights)).toBe(true);
    expect(menu.armedScene.get()).toBeUndefined();
    expect(menu.pressScene('lobby', rights)).toBe(false);
    menu.toggle(head);
    menu.toggle(head);
    expect(menu.pressScene('lobby', rights)).toBe(false);
  });

  it('[MENU5] [ROLE10] a viewer in a protected room never switches the scene, however often it presses', () => {
    const menu = new XRMenu();
    menu.toggle(new PerspectiveCamera());
    const viewer = new InteractionRights('viewer');
    for (let i = 0; i < 3; i++) expect(menu.pressScene('gallery', viewer)).toBe(false);
    expect(menu.armedScene.get()).toBeUndefined();
    const open = new InteractionRights('open');
    expect(menu.pressScene('gallery', open)).toBe(false);
    expect(menu.pressScene('gallery', open)).toBe(true);
  });

  it('[MENU6] while open, a hand’s fingertip hovers and presses the button under it, once per touch; closed, it presses nothing', () => {
    const menu = new XRMenu();
    const head = new PerspectiveCamera();
    const presses: string[] = [];
    // Two buttons of the menu's size side by side, facing +Z, and a label nothing presses.
    const items = { mute: new Group(), leave: new Group(), name: new Group() };
    items.mute.position.set(0, 1.4, -0.6);
    items.leave.position.set(0.4, 1.4, -0.6);
    items.name.position.set(0, 1.3, -0.6);
    for (const [id, object] of Object.entries(items)) {
      object.updateMatrixWorld();
      menu.register(id, {
        object,
        width: 0.32,
        height: 0.08,
        ...(id === 'name' ? {} : { press: () => presses.push(id) }),
      });
    }
    const right: FingertipInput = { fingertip: new Vector3(), fingertipTracked: true };
    const hands = { left: noHands.left, right };
    const at = (x: number, y: number, z: number) => {
      right.fingertip.set(x, y, z);
      menu.frame(frameWithX(false), head, hands);
    };
    // Closed: a touch does nothing.
    at(0, 1.4, -0.5);
    at(0, 1.4, -0.6);
    expect(presses).toEqual([]);
    expect(menu.hovered.get()).toBeUndefined();
    menu.toggle(head);
    at(0, 1.4, -0.5);
    at(0, 1.4, -0.56);
    expect(menu.hovered.get()).toBe('mute');
    expect(menu.hoveredBy()).toEqual({ id: 'mute', by: 'fingertip' });
    at(0, 1.4, -0.605);
    expect(presses).toEqual(['mute']);
    // Resting on it and trembling: no second press; back out and in again: a second.
    at(0, 1.4, -0.585);
    at(0, 1.4, -0.6);
    expect(presses).toEqual(['mute']);
    at(0, 1.4, -0.55);
    at(0, 1.4, -0.6);
    expect(presses).toEqual(['mute', 'mute']);
    // The neighbour, then a label: the label is not hovered and presses nothing.
    at(0.4, 1.4, -0.5);
    at(0.4, 1.4, -0.6);
    expect(presses).toEqual(['mute', 'mute', 'leave']);
    at(0, 1.3, -0.5);
    expect(menu.hovered.get()).toBeUndefined();
    at(0, 1.3, -0.6);
    expect(presses).toHaveLength(3);
    // A ray's hover shows when no fingertip hovers; closing clears both.
    right.fingertipTracked = false;
    menu.frame(frameWithX(false), head, hands);
    menu.rayHover('leave', true);
    expect(menu.hovered.get()).toBe('leave');
    expect(menu.hoveredBy()).toEqual({ id: 'leave', by: 'ray' });
    menu.close();
    expect(menu.hovered.get()).toBeUndefined();
  });
});
