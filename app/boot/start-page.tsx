import { createRoot } from '../ui/dom-renderer/index.ts';
import { App } from '../ui/App.tsx';

/** The start page and every page that is not a room (app/ui/App.tsx), on React DOM. */
export function bootStartPage(host: HTMLElement): void {
  createRoot(host).render(<App />);
}
