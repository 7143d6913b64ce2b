/**
The subscriptions of one rpc connection: events (a snapshot, then status changes), logs (followed across
restarts) and stats (sampled). Each owns an AbortController and a queue the pump drains; all of them close
with the connection.
*/
import type {ConnectionState, Engine, LogLine, PodView, StatsView} from '../../src/index.js';
import {toResponseError, type ErrorData} from '../errors.js';
import type {Logger} from '../log.js';
import type {NotificationPump, NotificationSource} from './pump.js';
import {
  EventQueue,
  LogQueue,
  StatsQueue,
  type EndReason,
  type LogQueueLimits,
  DEFAULT_LOG_LIMITS,
} from './queues.js';
import {containerIds, resolveTarget} from './resolve-target.js';

export type SubscriptionKind = 'events' | 'logs' | 'stats';

interface Subscription {
  readonly kind: SubscriptionKind;
  close(reason: EndReason): void;
}

export interface EventsSnapshot {
  readonly subscriptionId: string;
  readonly pods: readonly PodView[];
  readonly connection: ConnectionState;
}

export interface LogsSubscribeOptions {
  readonly tail?: number;
  readonly since?: number | string;
  readonly followRestarts?: boolean;
  readonly maxQueuedLines?: number;
}

function errorOf(error: unknown): {readonly message: string; readonly data: ErrorData} {
  const response = toResponseError(error, false);
  const data = (response.data ?? {code: 'INTERNAL'}) as ErrorData;
  return {message: response.message, data};
}

const now = (): string => new Date().toISOString();

export class Subscriptions {
  readonly #pump: NotificationPump;
  readonly #log: Logger;
  readonly #all = new Map<string, Subscription>();
  /** Queues whose subscribe call has not been answered yet: they fill, but send nothing. */
  readonly #unarmed = new Set<NotificationSource>();
  #next = 0;
  #closed = false;

  constructor(pump: NotificationPump, log: Logger) {
    this.#pump = pump;
    this.#log = log;
  }

  get size(): number {
    return this.#all.size;
  }

  /** Holds `queue` back until the subscribe call's answer is out. */
  #hold(queue: NotificationSource): void {
    this.#unarmed.add(queue);
    // The answer is written in the microtasks after the handler returns; a macrotask later it is out.
    setImmediate(() => {
      this.#unarmed.delete(queue);
      this.#pump.wake(queue);
    });
  }

  #wake(queue: NotificationSource): void {
    if (!this.#unarmed.has(queue)) this.#pump.wake(queue);
  }

  #id(kind: SubscriptionKind): string {
    this.#next++;
    return `${kind}-${this.#next}`;
  }

  /** Listens first, then takes the snapshot: a change in between is sent after it, never lost. */
  async events(
    engine: Engine,
    options: {readonly pods?: readonly string[]; readonly signal: AbortSignal},
  ): Promise<EventsSnapshot> {
    const id = this.#id('events');
    const queue = new EventQueue(id);
    const wanted = options.pods === undefined ? undefined : new Set(options.pods);
    const match = (pod: string): boolean => wanted === undefined || wanted.has(pod);
    const push = (method: string, payload: Record<string, unknown>): void => {
      queue.push(method, payload);
      this.#wake(queue);
    };
    this.#unarmed.add(queue);
    const offs = [
      engine.on('pod:status', ({pod, previous}) => {
        if (match(pod.name)) push('pod/statusChanged', {pod, previous, at: now()});
      }),
      engine.on('pod:removed', ({name, id: podId}) => {
        if (match(name)) push('pod/removed', {name, id: podId, at: now()});
      }),
      engine.on('container:status', ({pod, container, previous, action}) => {
        if (match(pod)) push('container/statusChanged', {pod, container, previous, action, at: now()});
      }),
      engine.on('container:health', ({pod, container, previous}) => {
        if (match(pod))
          push('container/healthChanged', {pod, container, previous, healthy: container.healthy, at: now()});
      }),
      engine.on('engine:connection', (state) => {
        // After a reconnect the engine resyncs, but a client that missed changes must re-list.
        push('engine/connectionChanged', {...state, resyncRequired: state.connected, at: now()});
      }),
    ];
    const close = (): void => {
      for (const off of offs) off();
      this.#unarmed.delete(queue);
      this.#pump.remove(queue);
    };
    try {
      const pods = (await engine.listPods({signal: options.signal})).filter((pod) => match(pod.name));
      this.#add(id, {kind: 'events', close});
      this.#hold(queue);
      return {subscriptionId: id, pods, connection: engine.connection()};
    } catch (error) {
      close();
      throw error;
    }
  }

  /** Checks the ref now (NotFound is the call's answer), then follows in the background. */
  async logs(
    engine: Engine,
    ref: string,
    options: LogsSubscribeOptions & {readonly signal: AbortSignal},
  ): Promise<{subscriptionId: string}> {
    await resolveTarget(engine, ref, options.signal);
    const id = this.#id('logs');
    const limits: LogQueueLimits = {
      ...DEFAULT_LOG_LIMITS,
      ...(options.maxQueuedLines === undefined ? {} : {maxQueuedLines: options.maxQueuedLines}),
    };
    const queue = new LogQueue(id, limits);
    const controller = new AbortController();
    let reason: EndReason | undefined;
    const lines = engine.followLogs(ref, {
      signal: controller.signal,
      followRestarts: options.followRestarts ?? true,
      ...(options.tail === undefined ? {} : {tail: options.tail}),
      ...(options.since === undefined ? {} : {since: options.since}),
    });
    this.#add(id, {
      kind: 'logs',
      close: (why) => {
        reason = why;
        controller.abort();
      },
    });
    void this.#follow(
      id,
      lines,
      queue,
      (line: LogLine) => queue.push(line),
      () => reason,
    );
    return {subscriptionId: id};
  }

  async stats(
    engine: Engine,
    refs: readonly string[],
    options: {readonly intervalMs?: number; readonly signal: AbortSignal},
  ): Promise<{subscriptionId: string}> {
    const ids = [
      ...new Set((await Promise.all(refs.map((ref) => containerIds(engine, ref, options.signal)))).flat()),
    ];
    const id = this.#id('stats');
    const queue = new StatsQueue(id);
    const controller = new AbortController();
    let reason: EndReason | undefined;
    const samples = engine.followStats(ids, {
      signal: controller.signal,
      ...(options.intervalMs === undefined ? {} : {intervalMs: options.intervalMs}),
    });
    this.#add(id, {
      kind: 'stats',
      close: (why) => {
        reason = why;
        controller.abort();
      },
    });
    void this.#follow(
      id,
      samples,
      queue,
      (sample: StatsView) => queue.push(sample),
      () => reason,
    );
    return {subscriptionId: id};
  }

  /** Drains an engine stream into a queue until it ends, fails, or is closed; then queues the end notice. */
  async #follow<T>(
    id: string,
    stream: AsyncIterable<T>,
    queue: LogQueue | StatsQueue,
    push: (item: T) => void,
    closedFor: () => EndReason | undefined,
  ): Promise<void> {
    try {
      for await (const item of stream) {
        push(item);
        this.#wake(queue);
      }
      queue.end(closedFor() ?? 'ended');
    } catch (error) {
      const why = closedFor();
      if (why !== undefined) queue.end(why);
      else {
        this.#log.log('warn', `subscription ${id} failed`, {
          error: error instanceof Error ? error.message : String(error),
        });
        queue.end('error', errorOf(error));
      }
    } finally {
      this.#all.delete(id);
      // A closed connection sends nothing more; an unsubscribe still ends with logs/end or stats/end.
      if (closedFor() !== 'closed') this.#wake(queue);
    }
  }

  #add(id: string, subscription: Subscription): void {
    if (this.#closed) {
      subscription.close('closed');
      return;
    }
    this.#all.set(id, subscription);
  }

  /** Ends one subscription; false when there is no such subscription of that kind. */
  unsubscribe(kind: SubscriptionKind, id: string): boolean {
    const subscription = this.#all.get(id);
    if (subscription?.kind !== kind) return false;
    this.#all.delete(id);
    subscription.close('unsubscribed');
    return true;
  }

  /** Ends every subscription (the connection is going away). */
  closeAll(): void {
    this.#closed = true;
    for (const [id, subscription] of this.#all) {
      this.#all.delete(id);
      subscription.close('closed');
    }
  }
}
