/**
The engine's recent activity: what it did and what Docker reported, bounded, most recent last, each entry also
emitted as `engine:activity`.
*/
import type {EngineActivity} from '../engine/types.js';
import type {EngineEventBus} from './event-bus.js';

/** How many entries `activity()` keeps. */
export const ACTIVITY_LIMIT = 500;

/** A bounded log of EngineActivity entries, each also emitted on the bus. */
export class ActivityLog {
  readonly #entries: EngineActivity[] = [];
  readonly #bus: EngineEventBus;
  readonly #now: () => number;

  constructor(bus: EngineEventBus, now: () => number) {
    this.#bus = bus;
    this.#now = now;
  }

  add(entry: Omit<EngineActivity, 'at'>): EngineActivity {
    const full: EngineActivity = {at: new Date(this.#now()).toISOString(), ...entry};
    this.#entries.push(full);
    if (this.#entries.length > ACTIVITY_LIMIT) this.#entries.splice(0, this.#entries.length - ACTIVITY_LIMIT);
    this.#bus.emit('engine:activity', full);
    return full;
  }

  list(): readonly EngineActivity[] {
    return [...this.#entries];
  }
}
