/**
 * Components for the DOM renderer's browser tests (e2e/dom-renderer.e2e.ts):
 * bundled with the renderer into a blank page, driven from the test through
 * `window.domFixture`. Every event handler appends to `log`, so a test reads
 * which handlers ran, in which order.
 */
import { type CSSProperties, lazy, type ReactNode, Suspense, useEffect, useRef, useState } from 'react';
import { createPortal, createRoot, type Root } from '../../app/ui/dom-renderer/index.ts';

const log: string[] = [];
const roots = new Map<string, Root>();

function host(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`no #${id} in the page`);
  return element;
}

/** Controlled fields: text, a field that refuses letters, a checkbox, a range; a submit and focus log. */
function Fields() {
  const [name, setName] = useState('Ada');
  const [digits, setDigits] = useState('12');
  const [checked, setChecked] = useState(false);
  const [volume, setVolume] = useState(0.5);
  const [clicks, setClicks] = useState(0);
  return (
    <form
      data-testid="form"
      onSubmit={(event) => {
        event.preventDefault();
        log.push(`submit ${name}`);
      }}
      onFocus={(event) => log.push(`focus ${(event.target as HTMLElement).id}`)}
      onBlur={(event) => log.push(`blur ${(event.target as HTMLElement).id}`)}
    >
      <label htmlFor="name">Name</label>
      <input id="name" value={name} onChange={(event) => setName(event.target.value)} spellCheck={false} />
      <input
        id="digits"
        value={digits}
        onChange={(event) => {
          if (/^\d*$/.test(event.target.value)) setDigits(event.target.value);
        }}
      />
      <input id="check" type="checkbox" checked={checked} onChange={(event) => setChecked(event.target.checked)} />
      <input
        id="volume"
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={volume}
        onChange={(event) => setVolume(Number(event.target.value))}
      />
      <button id="count" type="button" onClick={() => setClicks((n) => n + 1)}>
        Clicked {clicks}
      </button>
      <button id="submit" type="submit">
        Save
      </button>
      <output data-testid="state">{JSON.stringify({ name, digits, checked, volume, clicks })}</output>
    </form>
  );
}

/** One element whose attributes, properties and style change with `variant`, and a keyed list. */
function Attributes({ variant, items }: { variant: boolean; items: readonly string[] }) {
  return (
    <div>
      <button
        type="button"
        id="target"
        className={variant ? 'on big' : 'off'}
        title={variant ? 'on' : undefined}
        aria-pressed={variant}
        data-count={variant ? 2 : undefined}
        hidden={!variant}
        tabIndex={variant ? 0 : undefined}
        style={
          variant ? ({ color: 'red', marginTop: 4, opacity: 0.5, '--glow': '3' } as CSSProperties) : { color: 'blue' }
        }
      >
        {variant ? 'on' : 'off'}
      </button>
      <ul id="list">
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

/** A portal into #elsewhere under a parent that logs clicks: the portal's clicks bubble in the DOM, not to it. */
function Portal({ shown }: { shown: boolean }) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: a test of where clicks bubble
    <div id="portal-parent" onClick={() => log.push('parent click')}>
      parent
      {shown &&
        createPortal(
          <button id="portalled" type="button" onClick={() => log.push('portal click')}>
            in the portal
          </button>,
          host('elsewhere'),
        )}
    </div>
  );
}

/** A lazy part whose load the test resolves (`resolveLazy`), under Suspense, after content that stays. */
let resolveLazy: (() => void) | undefined;
function lazyPart(text: string) {
  return lazy(
    () =>
      new Promise<{ default: () => ReactNode }>((resolve) => {
        resolveLazy = () => resolve({ default: () => <p id="lazy">{text}</p> });
      }),
  );
}
const parts = [lazyPart('first part'), lazyPart('second part')];
function Lazy({ part }: { part: number }) {
  const Part = parts[part] ?? parts[0];
  if (!Part) throw new Error('no lazy parts');
  return (
    <Suspense fallback={<p id="fallback">Loading…</p>}>
      <section id="suspended" style={{ display: 'flex' }}>
        <Part />
      </section>
    </Suspense>
  );
}

/** Refs: a callback ref with a cleanup, an object ref read in an effect; autoFocus. */
function Refs() {
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    log.push(`object ref ${field.current?.id}`);
  }, []);
  return (
    <div
      ref={(element) => {
        log.push(`callback ref ${element?.id}`);
        return () => {
          log.push('callback ref cleanup');
        };
      }}
      id="with-ref"
    >
      {/* biome-ignore lint/a11y/noAutofocus: a test of autoFocus */}
      <input id="focused" ref={field} autoFocus aria-label="focused" />
    </div>
  );
}

/** An event prop the renderer does not know: a programmer error. */
function UnknownEvent() {
  return <button type="button" id="unknown" onMouseEnter={() => log.push('mouse enter')} />;
}

const views = {
  fields: (_: object) => <Fields />,
  attributes: (props: { variant: boolean; items: readonly string[] }) => <Attributes {...props} />,
  portal: (props: { shown: boolean }) => <Portal {...props} />,
  lazy: (props: { part: number }) => <Lazy {...props} />,
  refs: (_: object) => <Refs />,
  unknownEvent: (_: object) => <UnknownEvent />,
  text: (props: { text: string }) => <p id="text">{props.text}</p>,
};
type Views = typeof views;

const fixture = {
  log,
  /** Renders a view into #`into` (making it a root the first time). */
  render<K extends keyof Views>(into: string, view: K, props: Parameters<Views[K]>[0]): void {
    let root = roots.get(into);
    if (!root) {
      root = createRoot(host(into));
      roots.set(into, root);
    }
    root.render((views[view] as (p: typeof props) => ReactNode)(props));
  },
  unmount(from: string): void {
    roots.get(from)?.unmount();
  },
  /** What a second root on the same element, or a render after unmount, throws. */
  misuse(into: string): string[] {
    const errors: string[] = [];
    try {
      createRoot(host(into));
    } catch (error) {
      errors.push(String(error));
    }
    try {
      roots.get(into)?.render(null);
    } catch (error) {
      errors.push(String(error));
    }
    return errors;
  },
  resolveLazy(): void {
    resolveLazy?.();
  },
};

declare global {
  interface Window {
    domFixture: typeof fixture;
  }
}
window.domFixture = fixture;
