/**
The outgoing queues of subscriptions, each with its own answer to a slow client: status events are kept in
order up to a cap; log lines are capped per subscription and the drops counted on the next `logs/data`;
stats samples coalesce (the latest per container wins).
*/
import type {LogLine, StatsView} from '../../src/index.js';
import type {ErrorData} from '../errors.js';
import type {NotificationSource} from './pump.js';

type Note = {readonly method: string; readonly params: unknown};

/** Why a stream subscription ended. */
export type EndReason = 'ended' | 'unsubscribed' | 'error' | 'closed';

/** Status notifications, in order; past the cap the oldest go and the next one says how many. */
export class EventQueue implements NotificationSource {
  readonly #id: string;
  readonly #cap: number;
  readonly #items: Note[] = [];
  #dropped = 0;

  constructor(id: string, cap = 10_000) {
    this.#id = id;
    this.#cap = cap;
  }

  push(method: string, payload: Record<string, unknown>): void {
    if (this.#items.length >= this.#cap) {
      this.#items.shift();
      this.#dropped++;
    }
    this.#items.push({method, params: {subscriptionId: this.#id, ...payload}});
  }

  take(): Note | undefined {
    const next = this.#items.shift();
    if (next === undefined || this.#dropped === 0) return next;
    const dropped = this.#dropped;
    this.#dropped = 0;
    return {method: next.method, params: {...(next.params as object), dropped}};
  }
}

export interface LogQueueLimits {
  /** Lines held for a slow client before the oldest are dropped. */
  readonly maxQueuedLines: number;
  /** Lines per `logs/data` notification. */
  readonly batchLines: number;
}

export const DEFAULT_LOG_LIMITS: LogQueueLimits = {maxQueuedLines: 5000, batchLines: 500};

/** Log lines of one subscription, sent in batches, then `logs/end`. */
export class LogQueue implements NotificationSource {
  readonly #id: string;
  readonly #limits: LogQueueLimits;
  #lines: LogLine[] = [];
  #head = 0;
  #dropped = 0;
  #end: {readonly reason: EndReason; readonly error?: ErrorData; readonly message?: string} | undefined;
  #endSent = false;

  constructor(id: string, limits: LogQueueLimits = DEFAULT_LOG_LIMITS) {
    this.#id = id;
    this.#limits = limits;
  }

  get queued(): number {
    return this.#lines.length - this.#head;
  }

  push(line: LogLine): void {
    if (this.#end !== undefined) return;
    if (this.queued >= this.#limits.maxQueuedLines) {
      this.#head++;
      this.#dropped++;
      // Compact now and then, or a client that never reads would grow the array without bound.
      if (this.#head >= this.#limits.maxQueuedLines) {
        this.#lines = this.#lines.slice(this.#head);
        this.#head = 0;
      }
    }
    this.#lines.push(line);
  }

  end(reason: EndReason, error?: {readonly message: string; readonly data: ErrorData}): void {
    if (this.#end !== undefined) return;
    this.#end = error === undefined ? {reason} : {reason, error: error.data, message: error.message};
  }

  take(): Note | undefined {
    if (this.queued > 0) {
      const batch = this.#lines.slice(this.#head, this.#head + this.#limits.batchLines);
      this.#head += batch.length;
      if (this.#head === this.#lines.length) {
        this.#lines = [];
        this.#head = 0;
      }
      const dropped = this.#dropped;
      this.#dropped = 0;
      return {
        method: 'logs/data',
        params: {subscriptionId: this.#id, lines: batch, ...(dropped > 0 ? {dropped} : {})},
      };
    }
    if (this.#end === undefined || this.#endSent) return undefined;
    this.#endSent = true;
    const dropped = this.#dropped;
    return {
      method: 'logs/end',
      params: {
        subscriptionId: this.#id,
        reason: this.#end.reason,
        ...(dropped > 0 ? {dropped} : {}),
        ...(this.#end.error === undefined
          ? {}
          : {error: {message: this.#end.message, data: this.#end.error}}),
      },
    };
  }
}

/** Stats samples of one subscription: the latest per container, sent together. */
export class StatsQueue implements NotificationSource {
  readonly #id: string;
  readonly #latest = new Map<string, StatsView>();
  #coalesced = 0;
  #end: {readonly reason: EndReason; readonly message?: string; readonly error?: ErrorData} | undefined;
  #endSent = false;

  constructor(id: string) {
    this.#id = id;
  }

  push(sample: StatsView): void {
    if (this.#end !== undefined) return;
    if (this.#latest.has(sample.containerId)) this.#coalesced++;
    this.#latest.set(sample.containerId, sample);
  }

  end(reason: EndReason, error?: {readonly message: string; readonly data: ErrorData}): void {
    if (this.#end !== undefined) return;
    this.#end = error === undefined ? {reason} : {reason, message: error.message, error: error.data};
  }

  take(): Note | undefined {
    if (this.#latest.size > 0) {
      const samples = [...this.#latest.values()];
      this.#latest.clear();
      const coalesced = this.#coalesced;
      this.#coalesced = 0;
      return {
        method: 'stats/sample',
        params: {subscriptionId: this.#id, samples, ...(coalesced > 0 ? {coalesced} : {})},
      };
    }
    if (this.#end === undefined || this.#endSent) return undefined;
    this.#endSent = true;
    return {
      method: 'stats/end',
      params: {
        subscriptionId: this.#id,
        reason: this.#end.reason,
        ...(this.#end.error === undefined
          ? {}
          : {error: {message: this.#end.message, data: this.#end.error}}),
      },
    };
  }
}
