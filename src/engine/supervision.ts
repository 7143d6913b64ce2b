/**
Whether this engine supervises its endpoint's pods or observes them: it tries to take the supervisor lease at
once and, while another engine holds it, again with back-off (250 ms doubling to 2 s), so when the holder exits
this engine takes over within a few seconds. The engine is told on every change (it resyncs and catches up on
what happened while nobody supervised).
*/
import type {HealthClock} from '../health/clock.js';
import {notGranted} from './lease-channel.js';
import type {LeaseHolder, SupervisorLease} from './supervisor-lease.js';

/** Acting on the pods (holding the lease), or only watching them. */
export type SupervisorRole = 'supervising' | 'observing';

/** The first retry after a refused lease. */
export const LEASE_RETRY_INITIAL_MS = 250;
/** The longest wait between two attempts: how late at most a takeover comes after the holder exits. */
export const LEASE_RETRY_MAX_MS = 2_000;

/** A start whose holder went away asks again this often, until the next holder answers... */
export const HANDOVER_RETRY_MS = 100;
/** ...or this long has passed (another engine retries the lease at most every 2 s, and waits before it reacts). */
export const HANDOVER_WAIT_MS = 3_000;

/** What the supervision runs on and reports to. */
export interface SupervisionOptions {
  readonly lease: SupervisorLease;
  readonly clock: HealthClock;
  /** Answers other engines while this one holds the lease. */
  readonly holder?: LeaseHolder;
  /** The role changed (never called after close). */
  readonly onChange: (role: SupervisorRole) => void;
  /** Taking the lease failed for another reason than someone holding it (it is tried again). */
  readonly onError?: (error: unknown) => void;
}

/** The engine's role and the lease behind it (see the module comment). */
export class Supervision {
  readonly #options: SupervisionOptions;
  #role: SupervisorRole = 'observing';
  #delay = LEASE_RETRY_INITIAL_MS;
  #cancelRetry: (() => void) | undefined;
  #started = false;
  #closed = false;

  constructor(options: SupervisionOptions) {
    this.#options = options;
  }

  get role(): SupervisorRole {
    return this.#role;
  }

  get supervising(): boolean {
    return this.#role === 'supervising';
  }

  /** The lease's name, for messages. */
  get leaseName(): string {
    return this.#options.lease.name;
  }

  /**
  Before this engine starts `pod`: when another engine supervises, asks it to hold off its reactions on the pod
  until the returned function is called (see lease-channel.ts). Nothing to ask while supervising.
  */
  async suspendElsewhere(pod: string, signal?: AbortSignal): Promise<() => void> {
    if (this.supervising || this.#closed) return () => undefined;
    // The suspension must outlive a change of holder: when the holder goes away mid-start, the next one is
    // asked in turn (this engine, should it take the lease, holds off its own reactions while it starts).
    let release: () => void = () => undefined;
    let done = false;
    const over = () => done || this.#closed || this.supervising || signal?.aborted === true;
    const ask = (): Promise<() => void> => this.#options.lease.suspend(pod, signal, () => void reask());
    // The old holder is gone; the next one may take a moment to take the lease (or this engine may).
    const reask = async (): Promise<void> => {
      const deadline = this.#options.clock.now() + HANDOVER_WAIT_MS;
      while (!over()) {
        const next = await ask();
        if (next !== notGranted) {
          if (done) next();
          else release = next;
          return;
        }
        if (this.#options.clock.now() >= deadline) return;
        await new Promise<void>((resolve) => this.#options.clock.schedule(resolve, HANDOVER_RETRY_MS));
      }
    };
    release = await ask();
    return () => {
      done = true;
      release();
    };
  }

  /** Tries to take the lease now, and keeps trying while another engine holds it. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#attempt();
  }

  /** Stops trying and gives the lease up, so another engine takes over. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelRetry?.();
    this.#role = 'observing';
    await this.#options.lease.release();
  }

  async #attempt(): Promise<void> {
    this.#cancelRetry = undefined;
    if (this.#closed) return;
    let held = false;
    try {
      held = await this.#options.lease.acquire(this.#options.holder);
    } catch (error) {
      this.#options.onError?.(error);
    }
    if (this.#closed) {
      if (held) await this.#options.lease.release();
      return;
    }
    if (held) {
      this.#role = 'supervising';
      this.#options.onChange('supervising');
      return;
    }
    const delay = this.#delay;
    this.#delay = Math.min(delay * 2, LEASE_RETRY_MAX_MS);
    this.#cancelRetry = this.#options.clock.schedule(() => void this.#attempt(), delay);
  }
}
