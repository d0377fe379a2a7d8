/**
 * The two DOM moves the editor makes everywhere: an element with its class,
 * and a set of listeners added together and removed together.
 *
 * @example
 *   const row = element('div', 'holo-line');
 *   const unlisten = listen(input, { focus: onFocus, blur: onBlur });
 *   unlisten(); // both removed
 */

/** A new `tag` element of class `className`. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  made.className = className;
  return made;
}

type Listeners<Events> = { [Type in keyof Events]?: (event: Events[Type]) => void };

/** Adds each of `listeners` to `target` by its event type; the function returned removes them all. */
export function listen<Target extends HTMLElement | Document>(
  target: Target,
  listeners: Listeners<Target extends Document ? DocumentEventMap : HTMLElementEventMap>,
): () => void {
  const entries = Object.entries(listeners) as [string, EventListener][];
  for (const [type, listener] of entries) target.addEventListener(type, listener);
  return () => {
    for (const [type, listener] of entries) target.removeEventListener(type, listener);
  };
}
