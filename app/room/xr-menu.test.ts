import { PerspectiveCamera } from 'three';
import { describe, expect, it } from 'vitest';
import { InteractionRights } from '../interaction/interaction-rights.ts';
import { XRMenu } from './xr-menu.ts';

/** An XR frame whose left controller has its X button (index 4) up or down. */
function frameWithX(down: boolean): XRFrame {
  const buttons = Array.from({ length: 7 }, (_, i) => ({ pressed: i === 4 && down, value: i === 4 && down ? 1 : 0 }));
  const left = { handedness: 'left', gamepad: { buttons } };
  const right = { handedness: 'right', gamepad: { buttons: buttons.map(() => ({ pressed: true, value: 1 })) } };
  return { session: { inputSources: [right, left] } } as unknown as XRFrame;
}

describe('in-world menu', () => {
  it('[MENU1] a press of the left X button opens, the next press closes; holding it does nothing more', () => {
    const menu = new XRMenu();
    const head = new PerspectiveCamera();
    menu.frame(frameWithX(false), head);
    expect(menu.open.get()).toBe(false);
    menu.frame(frameWithX(true), head);
    expect(menu.open.get()).toBe(true);
    for (let i = 0; i < 10; i++) menu.frame(frameWithX(true), head);
    expect(menu.open.get()).toBe(true);
    menu.frame(frameWithX(false), head);
    menu.frame(frameWithX(true), head);
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
});
