/**
The fake runtime's event stream: a history (for `since` replay, as Docker keeps the last events) and live
subscribers, with Docker's filters (type, label on attributes, action with prefix match for
`health_status: ...`-style actions).
*/
import type {EventsOptions, RuntimeEvent, RuntimeEventType} from '../../src/runtime/port.js';
import {matchesLabels} from './fake-runtime-util.js';

/** Docker keeps 256 events for replay. */
const HISTORY = 256;

interface Subscriber {
  readonly options: EventsOptions;
  readonly queue: RuntimeEvent[];
  wake: (() => void) | undefined;
  failure: Error | undefined;
}

export class FakeEventHub {
  readonly #history: RuntimeEvent[] = [];
  readonly #subscribers = new Set<Subscriber>();
  readonly #now: () => number;
  #sequence = 0;
  #lastNano = 0n;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Records and delivers one event; returns it. */
  emit(
    type: RuntimeEventType,
    action: string,
    id: string,
    attributes: Readonly<Record<string, string>>,
  ): RuntimeEvent {
    // Nanoseconds from the clock, kept strictly increasing so order survives a clock that stands still.
    let timeNano = BigInt(Math.floor(this.#now())) * 1_000_000n + BigInt(this.#sequence++ % 1_000);
    if (timeNano <= this.#lastNano) timeNano = this.#lastNano + 1n;
    this.#lastNano = timeNano;
    const event: RuntimeEvent = {type, action, id, attributes: {...attributes}, timeNano};
    this.#history.push(event);
    if (this.#history.length > HISTORY) this.#history.shift();
    for (const subscriber of this.#subscribers) {
      if (matches(event, subscriber.options)) {
        subscriber.queue.push(event);
        subscriber.wake?.();
      }
    }
    return event;
  }

  /** Every event so far (the last 256), for assertions. */
  get history(): readonly RuntimeEvent[] {
    return this.#history;
  }

  /** Ends every live stream with `error` (the daemon went away). */
  failAll(error: Error): void {
    for (const subscriber of this.#subscribers) {
      subscriber.failure = error;
      subscriber.wake?.();
    }
  }

  /** The stream: replay from `since`, then live events until the signal fires or the hub fails it. */
  async *stream(options: EventsOptions): AsyncGenerator<RuntimeEvent> {
    const {signal} = options;
    if (signal.aborted) return;
    const subscriber: Subscriber = {options, queue: [], wake: undefined, failure: undefined};
    if (options.since !== undefined) {
      const from = BigInt(Math.floor(options.since * 1000)) * 1_000_000n;
      subscriber.queue.push(
        ...this.#history.filter((event) => event.timeNano >= from && matches(event, options)),
      );
    }
    this.#subscribers.add(subscriber);
    const onAbort = () => subscriber.wake?.();
    signal.addEventListener('abort', onAbort, {once: true});
    try {
      for (;;) {
        if (signal.aborted) return;
        const next = subscriber.queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (subscriber.failure !== undefined) throw subscriber.failure;
        await new Promise<void>((resolve) => {
          subscriber.wake = resolve;
        });
        subscriber.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#subscribers.delete(subscriber);
    }
  }
}

function matches(event: RuntimeEvent, options: EventsOptions): boolean {
  if (options.types !== undefined && options.types.length > 0 && !options.types.includes(event.type))
    return false;
  if (options.labels !== undefined && !matchesLabels(event.attributes, options.labels)) return false;
  if (options.actions !== undefined && options.actions.length > 0) {
    return options.actions.some((action) => event.action === action || event.action.startsWith(`${action}:`));
  }
  return true;
}
