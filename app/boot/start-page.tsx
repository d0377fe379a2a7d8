import { App } from '../ui/App.tsx';
import { createRoot } from '../ui/dom-renderer/index.ts';

/** The start page and every page that is not a room (app/ui/App.tsx), on the DOM renderer (app/ui/dom-renderer/). */
export function bootStartPage(host: HTMLElement): void {
  createRoot(host).render(<App />);
}
