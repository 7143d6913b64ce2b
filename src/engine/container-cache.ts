/**
The engine's picture of Docker: the inspected state of every container carrying the engine's label, kept
current by events (one inspect per event) and by list-based resyncs. Refreshes of one container run one after
the other, so the last inspect applied is always the latest one made.
*/
import {LABELS} from '../constants.js';
import {isEngineError} from '../errors.js';
import {readMemberLabels} from '../pod/labels.js';
import type {ContainerDetails, ContainerRuntime} from '../runtime/port.js';

/** One container's change as the cache applied it. */
export interface ContainerChange {
  readonly id: string;
  /** The pod the container belongs to (from its labels). */
  readonly pod: string;
  readonly previous: ContainerDetails | undefined;
  /** undefined: the container is gone. */
  readonly current: ContainerDetails | undefined;
  /**
  The Docker action behind it, or `reconcile`; `destroy` whenever the container is found gone, however that was
  found (its event, or an inspect or a list of a reaction or a resync that came first): Docker loses a container
  only by removing it.
  */
  readonly action: string;
}

/** The inspected state of every pod member, kept by events and resyncs (see the module comment). */
export class ContainerCache {
  readonly #runtime: ContainerRuntime;
  readonly #onChange: (change: ContainerChange) => void;
  readonly #containers = new Map<string, ContainerDetails>();
  readonly #byPod = new Map<string, Set<string>>();
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(runtime: ContainerRuntime, onChange: (change: ContainerChange) => void) {
    this.#runtime = runtime;
    this.#onChange = onChange;
  }

  get(id: string): ContainerDetails | undefined {
    return this.#containers.get(id);
  }

  all(): ContainerDetails[] {
    return [...this.#containers.values()];
  }

  /** Names of every pod with at least one container. */
  pods(): string[] {
    return [...this.#byPod.keys()];
  }

  /** The containers of `pod`. */
  ofPod(pod: string): ContainerDetails[] {
    return [...(this.#byPod.get(pod) ?? [])].flatMap((id) => {
      const details = this.#containers.get(id);
      return details === undefined ? [] : [details];
    });
  }

  /**
  Inspects `id` (after any refresh of it already queued) and applies the result: a change is reported when the
  container appeared, went, or its state differs. NOT_FOUND means gone; other failures keep what was known
  (the resync after a reconnect repairs it). Resolves with the current details.
  */
  refresh(id: string, action: string, signal?: AbortSignal): Promise<ContainerDetails | undefined> {
    return this.#enqueue(id, () => this.#inspect(id, action, signal));
  }

  /**
  Applies the removal of `id` that this process just saw succeed (after any refresh of it already queued),
  without asking Docker what it already answered.
  */
  removed(id: string): Promise<void> {
    return this.#enqueue(id, () => {
      this.#apply(id, 'destroy', this.#containers.get(id), undefined);
      return Promise.resolve(undefined);
    }).then(() => undefined);
  }

  #enqueue(
    id: string,
    work: () => Promise<ContainerDetails | undefined>,
  ): Promise<ContainerDetails | undefined> {
    const previous = this.#queues.get(id) ?? Promise.resolve();
    const next = previous.then(work);
    const tail = next.catch(() => undefined);
    this.#queues.set(id, tail);
    void tail.then(() => {
      if (this.#queues.get(id) === tail) this.#queues.delete(id);
    });
    return next;
  }

  /**
  Lists every managed container and refreshes those that are new, gone or in another state than known: what
  the stream may have missed while disconnected, and the slow reconcile's work.
  */
  async resync(signal?: AbortSignal): Promise<void> {
    const listed = await this.#runtime.listContainers({
      all: true,
      labels: [LABELS.managed],
      ...(signal === undefined ? {} : {signal}),
    });
    const seen = new Set<string>();
    const work: Promise<unknown>[] = [];
    for (const summary of listed) {
      // Managed but in no pod (a bare DockerContainer task): not the pods' business, and not worth an inspect.
      if (readMemberLabels(summary.labels) === undefined) continue;
      seen.add(summary.id);
      const known = this.#containers.get(summary.id);
      if (known === undefined || known.state.status !== summary.status) {
        work.push(this.refresh(summary.id, 'reconcile', signal));
      }
    }
    for (const id of this.#containers.keys()) {
      if (!seen.has(id)) work.push(this.refresh(id, 'reconcile', signal));
    }
    await Promise.all(work);
  }

  async #inspect(id: string, action: string, signal?: AbortSignal): Promise<ContainerDetails | undefined> {
    const previous = this.#containers.get(id);
    let current: ContainerDetails | undefined;
    try {
      current = await this.#runtime.inspectContainer(id, signal === undefined ? {} : {signal});
    } catch (error) {
      if (!isEngineError(error) || error.code !== 'NOT_FOUND') return previous;
    }
    return this.#apply(id, current === undefined ? 'destroy' : action, previous, current);
  }

  /** Records `current` (undefined: gone) for `id` and reports the change; returns `current`. */
  #apply(
    id: string,
    action: string,
    previous: ContainerDetails | undefined,
    current: ContainerDetails | undefined,
  ): ContainerDetails | undefined {
    const member = readMemberLabels((current ?? previous)?.labels ?? {});
    if (member === undefined) return current;
    if (current === undefined) {
      if (previous === undefined) return undefined;
      this.#containers.delete(id);
      const set = this.#byPod.get(member.pod);
      set?.delete(id);
      if (set?.size === 0) this.#byPod.delete(member.pod);
    } else {
      this.#containers.set(id, current);
      let set = this.#byPod.get(member.pod);
      if (set === undefined) {
        set = new Set();
        this.#byPod.set(member.pod, set);
      }
      set.add(id);
    }
    this.#onChange({id, pod: member.pod, previous, current, action});
    return current;
  }
}
