import { describe, expect, it } from 'vitest';
import { modelOf } from '../../testing/scene/parsed-scenes.ts';
import { announce, type FocusTarget, focusTargets, ObjectFocus } from './object-focus.ts';

const SCRIPT = `
composition "Keys" {
  object "Sign" { type: "text"; content: "Hello" }
  object "Switch" @clickable { geometry: "box"; label: "Lamp switch" }
  group "Shelf" {
    object "Cup" @grabbable { geometry: "box" }
    object "Bell" {
      geometry: "sphere"
      on_click { this.color = "#ffd166" }
    }
  }
  object "Plain" { geometry: "box" }
}
`;

async function targets(): Promise<FocusTarget[]> {
  return focusTargets((await modelOf(SCRIPT)).roots);
}

describe('[ACC5] the keyboard path to the 3D view: objects and order', () => {
  it('lists clickable and grabbable objects in script order, children after their parent, named by label', async () => {
    const list = await targets();
    expect(list.map((t) => [t.name, t.clickable, t.grabbable])).toEqual([
      ['Lamp switch', true, false],
      ['Cup', false, true],
      ['Bell', true, false],
    ]);
    expect(list.map((t) => t.id)).toEqual(['Switch', 'Shelf/Cup', 'Shelf/Bell']);
  });

  it('Tab enters at the first object, steps forward, and leaves after the last', async () => {
    const focus = new ObjectFocus();
    focus.setTargets(await targets());
    focus.enter('forward');
    expect(focus.current()?.name).toBe('Lamp switch');
    expect(focus.move('forward')).toBe(true);
    expect(focus.move('forward')).toBe(true);
    expect(focus.current()?.name).toBe('Bell');
    expect(focus.move('forward')).toBe(false);
    expect(focus.current()).toBeUndefined();
  });

  it('Shift+Tab enters at the last object and leaves before the first', async () => {
    const focus = new ObjectFocus();
    focus.setTargets(await targets());
    focus.enter('backward');
    expect(focus.current()?.name).toBe('Bell');
    expect(focus.move('backward')).toBe(true);
    expect(focus.move('backward')).toBe(true);
    expect(focus.current()?.name).toBe('Lamp switch');
    expect(focus.move('backward')).toBe(false);
    expect(focus.state.get().index).toBeNull();
  });

  it('a scene change keeps focus on the same object, or drops it when the object is gone', async () => {
    const list = await targets();
    const focus = new ObjectFocus();
    focus.setTargets(list);
    focus.enter('backward'); // Bell
    focus.setTargets(list.filter((t) => t.name !== 'Cup'));
    expect(focus.current()?.name).toBe('Bell');
    expect(focus.state.get().index).toBe(1);
    focus.setTargets(list.filter((t) => t.name !== 'Bell'));
    expect(focus.current()).toBeUndefined();
  });

  it('a view with no interactive objects lets focus through at once', () => {
    const focus = new ObjectFocus();
    expect(focus.move('forward')).toBe(false);
    expect(announce(focus.state.get())).toBe('3D view: nothing here reacts to the keyboard.');
  });
});

describe('[ACC6] what a screen reader hears', () => {
  it('names the focused object, what Enter does and where it is in the list', async () => {
    const focus = new ObjectFocus();
    focus.setTargets(await targets());
    expect(announce(focus.state.get())).toBe('3D view: 3 interactive objects. Tab moves between them.');
    focus.enter('forward');
    expect(announce(focus.state.get())).toBe('Lamp switch, button, Enter to click, 1 of 3');
    focus.move('forward');
    expect(announce(focus.state.get())).toBe('Cup, can be picked up with a pointer, 2 of 3');
  });
});
