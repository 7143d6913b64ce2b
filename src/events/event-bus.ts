/**
The engine's typed event bus: one emitter, event names and payloads from EngineEvents, `on` returning its
unsubscribe function. A throwing listener neither stops the others nor the engine's own work.
*/
import type {EngineEventName, EngineEvents, Unsubscribe} from '../engine/types.js';

type Listener<E extends EngineEventName> = (payload: EngineEvents[E]) => void;

/** A typed event bus over EngineEvents. */
export class EngineEventBus {
  readonly #listeners = new Map<EngineEventName, Set<(payload: never) => void>>();

  /** Subscribes `listener` to `event`; the returned function unsubscribes (idempotent). */
  on<E extends EngineEventName>(event: E, listener: Listener<E>): Unsubscribe {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Delivers `payload` to every listener of `event`, synchronously, in subscription order. */
  emit<E extends EngineEventName>(event: E, payload: EngineEvents[E]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<E>)(payload);
      } catch (error) {
        // A listener's bug surfaces as an uncaught error, as with EventEmitter, but after the engine's work.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Listeners of `event` (for tests and diagnostics). */
  listenerCount(event: EngineEventName): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  removeAll(): void {
    this.#listeners.clear();
  }
}
