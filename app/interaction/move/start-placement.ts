/**
 * Puts this person at their start point (docs/interaction.md START1-START3)
 * and keeps it distinct from everyone else's: the slot is chosen from the
 * others' announcements in presence (awareness field `start`), announced, and
 * given up for the next free one if a clash shows up while still fresh.
 * Also applies the scene's viewpoint when it changes (scene-runtime.md CAM1),
 * with this person's slot.
 */
import type { Awareness } from 'y-protocols/awareness';
import { type DesktopView, lookAt } from './desktop-view.ts';
import {
  chooseSlot,
  mustYield,
  parseStart,
  START_FIELD,
  START_SETTLE_MS,
  type StartAnnouncement,
  startViewpoint,
  type Viewpoint,
} from './start-points.ts';

export class StartPlacement {
  slot = 0;
  fresh = true;
  private viewpoint: Viewpoint | undefined;
  private viewpointKey = '';
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly awareness: Awareness,
    private readonly view: DesktopView,
    /** False while in XR: the viewpoint then waits for the person to come back. */
    private readonly placeable: () => boolean,
  ) {}

  start(): () => void {
    this.slot = chooseSlot(this.othersSlots());
    this.announce();
    this.awareness.on('change', this.onChange);
    this.settleTimer = setTimeout(() => this.settle(), START_SETTLE_MS);
    return () => {
      this.awareness.off('change', this.onChange);
      clearTimeout(this.settleTimer);
    };
  }

  /** CAM1 with START1: a new viewpoint puts this person at their slot of it. */
  setViewpoint(viewpoint: Viewpoint): void {
    const key = JSON.stringify(viewpoint);
    if (key === this.viewpointKey) return;
    this.viewpointKey = key;
    this.viewpoint = viewpoint;
    this.place();
  }

  /** The person moved on their own: their spot is theirs now (START3). */
  settle(): void {
    if (!this.fresh) return;
    this.fresh = false;
    clearTimeout(this.settleTimer);
    this.announce();
  }

  private place(): void {
    if (!this.viewpoint || !this.placeable()) return;
    const spot = startViewpoint(this.viewpoint, this.slot);
    lookAt(this.view, spot.position, spot.target);
  }

  private announce(): void {
    const announcement: StartAnnouncement = { slot: this.slot, fresh: this.fresh };
    this.awareness.setLocalStateField(START_FIELD, announcement);
  }

  private othersSlots(): number[] {
    const slots: number[] = [];
    for (const [id, state] of this.awareness.getStates()) {
      if (id === this.awareness.clientID) continue;
      const start = parseStart(state);
      if (start) slots.push(start.slot);
    }
    return slots;
  }

  /** START3: on a clash, the fresh arrival (or the higher id of two) takes the next free slot. */
  private readonly onChange = (): void => {
    if (!this.fresh) return;
    const self = { id: this.awareness.clientID, slot: this.slot, fresh: true };
    for (const [id, state] of this.awareness.getStates()) {
      if (id === self.id) continue;
      const start = parseStart(state);
      if (!start || !mustYield(self, { id, ...start })) continue;
      this.slot = chooseSlot(this.othersSlots());
      this.announce();
      this.place();
      return;
    }
  };
}
