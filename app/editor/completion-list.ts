/**
 * The completion listbox under the caret (docs/room-doc.md EDIT12): the
 * textarea is an ARIA combobox that controls it (`aria-expanded`,
 * `aria-activedescendant` naming the active option), the active option's
 * meaning shows under the list. What is offered and what accepting does is
 * completion.ts; this only draws it and keeps the active option.
 */

import type { CompletionOption, CompletionSite } from './completion.ts';
import { element, listen } from './dom.ts';

let lists = 0;

export class CompletionList {
  readonly element: HTMLDivElement;
  private readonly listbox: HTMLUListElement;
  private readonly info: HTMLDivElement;
  private readonly id = `holo-completion-${++lists}`;
  private site: CompletionSite | null = null;
  private active = 0;
  private readonly unlisten: () => void;

  /** `onPick` runs when an option is clicked. */
  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly onPick: (option: CompletionOption) => void,
  ) {
    this.element = element('div', 'holo-completion');
    this.element.hidden = true;
    this.listbox = element('ul', 'holo-completion-list');
    this.listbox.id = this.id;
    this.listbox.setAttribute('role', 'listbox');
    this.listbox.setAttribute('aria-label', 'Completions');
    this.info = element('div', 'holo-completion-info');
    this.info.dataset.testid = 'completion-info';
    this.element.append(this.listbox, this.info);
    // A click picks an option without taking the focus from the textarea.
    this.unlisten = listen(this.listbox, { mousedown: this.onMouseDown });
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', this.id);
    input.setAttribute('aria-expanded', 'false');
  }

  get isOpen(): boolean {
    return this.site !== null;
  }

  /** The option Enter or Tab would take, and where. */
  current(): { site: CompletionSite; option: CompletionOption } | null {
    const option = this.site?.options[this.active];
    return this.site && option ? { site: this.site, option } : null;
  }

  /** Shows `site`'s options with the first active, its top-left at `left`, `top` (px in the editor's box). */
  show(site: CompletionSite, left: number, top: number): void {
    this.site = site;
    this.active = 0;
    this.listbox.replaceChildren(
      ...site.options.map((option, index) => {
        const item = document.createElement('li');
        item.id = `${this.id}-${index}`;
        item.setAttribute('role', 'option');
        item.dataset.index = String(index);
        const label = element('span', 'holo-completion-label');
        label.textContent = option.label;
        const detail = element('span', 'holo-completion-detail');
        detail.textContent = option.detail;
        item.append(label, detail);
        return item;
      }),
    );
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
    this.element.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.markActive();
  }

  /** Moves the active option by `step`, wrapping around the list. */
  move(step: number): void {
    const count = this.site?.options.length ?? 0;
    if (count === 0) return;
    this.active = (this.active + step + count) % count;
    this.markActive();
  }

  close(): void {
    if (!this.site) return;
    this.site = null;
    this.element.hidden = true;
    this.listbox.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  destroy(): void {
    this.close();
    this.unlisten();
    for (const name of ['role', 'aria-autocomplete', 'aria-controls', 'aria-expanded']) {
      this.input.removeAttribute(name);
    }
    this.element.remove();
  }

  private markActive(): void {
    for (const [index, item] of [...this.listbox.children].entries()) {
      item.setAttribute('aria-selected', String(index === this.active));
    }
    const item = this.listbox.children[this.active] as HTMLElement | undefined;
    item?.scrollIntoView({ block: 'nearest' });
    if (item) this.input.setAttribute('aria-activedescendant', item.id);
    this.info.textContent = this.site?.options[this.active]?.info ?? '';
    this.info.hidden = this.info.textContent === '';
  }

  private readonly onMouseDown = (event: MouseEvent) => {
    const item = (event.target as HTMLElement).closest('li');
    const option = this.site?.options[Number(item?.dataset.index)];
    if (!option) return;
    event.preventDefault();
    this.onPick(option);
  };
}
