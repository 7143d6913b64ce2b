/**
The engine's one event stream: `GET /events` for containers carrying the engine's label, with no per-container
polling. When the stream fails (the daemon went away, the socket broke) the watcher reports the connection
lost, retries with back-off (250 ms doubling to 2 s, so a daemon that is back is seen within about 2 s: the
5 s promise of docs/reliability.md), and on every (re)connect reports it back and lets the engine resync by
listing before it trusts the stream again (Docker replays only its last 256 events).
*/
import {LABELS} from '../constants.js';
import {EngineError, toEngineError} from '../errors.js';
import type {HealthClock} from '../health/clock.js';
import type {ContainerRuntime, RuntimeEvent} from '../runtime/port.js';

/** Back-off between reconnects: 250 ms, doubling, at most 2 s. */
export const RECONNECT_INITIAL_MS = 250;
/** The longest wait between two reconnects. */
export const RECONNECT_MAX_MS = 2_000;

/**
Container actions that can change what a view shows. `exec_*`, `attach`, `top`, `archive-path`, ... cannot,
and command health probes would otherwise flood the stream with them.
*/
export const WATCHED_ACTIONS: readonly string[] = [
  'create',
  'start',
  'restart',
  'die',
  'kill',
  'oom',
  'stop',
  'pause',
  'unpause',
  'destroy',
  'update',
  'rename',
  'health_status',
];

/** What the watcher calls: per event, per (re)connect, per loss. */
export interface WatcherHandlers {
  /** Each event, in stream order. Must not throw (errors are the handler's to keep). */
  readonly onEvent: (event: RuntimeEvent) => void;
  /** After each (re)connect, before events are trusted: the engine lists and reconciles here. */
  readonly onConnected: (apiVersion: string) => Promise<void>;
  readonly onDisconnected: (error: EngineError) => void;
}

/** The runtime and clock the watcher runs on, and its handlers. */
export interface WatcherOptions extends WatcherHandlers {
  readonly runtime: ContainerRuntime;
  readonly clock: HealthClock;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** The engine's single event stream, reconnecting with back-off (see the module comment). */
export class EventWatcher {
  readonly #options: WatcherOptions;
  #stopped = false;
  #controller: AbortController | undefined;
  #cancelSleep: (() => void) | undefined;
  #wakeSleep: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: WatcherOptions) {
    this.#options = options;
  }

  /** Starts the loop (once). */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Ends the stream and the loop; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#controller?.abort();
    this.#cancelSleep?.();
    this.#wakeSleep?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const initial = this.#options.initialDelayMs ?? RECONNECT_INITIAL_MS;
    const max = this.#options.maxDelayMs ?? RECONNECT_MAX_MS;
    let delay = initial;
    while (!this.#stopped) {
      const controller = new AbortController();
      this.#controller = controller;
      try {
        await this.#connectAndRead(controller.signal, () => {
          delay = initial;
        });
      } catch (error) {
        if (this.#stopped) break;
        this.#options.onDisconnected(toEngineError(error, 'ENGINE_UNAVAILABLE'));
        await this.#sleep(delay);
        delay = Math.min(delay * 2, max);
      } finally {
        controller.abort();
      }
    }
  }

  async #connectAndRead(signal: AbortSignal, connected: () => void): Promise<void> {
    const {runtime} = this.#options;
    const {apiVersion} = await runtime.ping({signal});
    // Replay the last second: an event between the stream's request and Docker's subscription is not lost.
    const since = Math.floor(Date.now() / 1000) - 1;
    const stream = runtime.events({
      signal,
      types: ['container'],
      labels: [LABELS.managed],
      actions: WATCHED_ACTIONS,
      since,
    });
    const iterator = stream[Symbol.asyncIterator]();
    let pending = iterator.next();
    // Awaited below; until then a failure must not count as an unhandled rejection.
    pending.catch(() => undefined);
    await this.#options.onConnected(apiVersion);
    connected();
    for (;;) {
      const result = await pending;
      if (result.done === true) break;
      this.#options.onEvent(result.value);
      pending = iterator.next();
    }
    if (this.#stopped) return;
    throw new EngineError('ENGINE_UNAVAILABLE', `the event stream from ${runtime.endpoint} ended`, {
      details: {endpoint: runtime.endpoint},
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wakeSleep = resolve;
      this.#cancelSleep = this.#options.clock.schedule(() => resolve(), ms);
    }).finally(() => {
      this.#cancelSleep = undefined;
      this.#wakeSleep = undefined;
    });
  }
}
