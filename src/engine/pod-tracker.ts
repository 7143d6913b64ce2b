/**
The pods as the engine shows them: snapshots grouped from the container cache, views with this process's
overlays, and the events a change causes: `container:status` for each container event (with the Docker
action), `pod:status` when a pod's status changes, `pod:removed` when its last container is gone.
*/
import type {EngineEventBus} from '../events/event-bus.js';
import {readMemberLabels} from '../pod/labels.js';
import type {PodSpec} from '../pod/spec-types.js';
import type {ContainerDetails} from '../runtime/port.js';
import type {ContainerCache, ContainerChange} from './container-cache.js';
import type {SpecCache} from './spec-cache.js';
import type {ContainerView, PodStatus, PodView} from './types.js';
import {containerView, podView, type Overlay, type PodSnapshot, type ViewDeps} from './views.js';

/** Where the tracker reads containers and specs, and where it emits. */
export interface PodTrackerDeps {
  readonly cache: ContainerCache;
  readonly bus: EngineEventBus;
  readonly specs: SpecCache;
  readonly viewDeps: ViewDeps;
}

interface Pending {
  readonly spec: PodSpec;
}

/** A view kept until the pod changes: its generation, and what else it was built from. */
interface Memo {
  readonly generation: number;
  readonly inputs: readonly unknown[];
  readonly view: PodView;
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** Pods as the engine shows them, and the events their changes cause (see the module comment). */
export class PodTracker {
  readonly #deps: PodTrackerDeps;
  readonly #overlays = new Map<string, Overlay>();
  readonly #pending = new Map<string, Pending>();
  readonly #lastStatus = new Map<string, PodStatus>();
  readonly #lastInfraId = new Map<string, string>();
  /** Per pod: bumped by every change of its containers or its overlay. */
  readonly #generations = new Map<string, number>();
  /**
  The last view of each pod. Reads are served from memory while connected (many per second from the faces),
  and between two changes of a pod its view is the same: built once, not once per read.
  */
  readonly #memo = new Map<string, Memo>();

  constructor(deps: PodTrackerDeps) {
    this.#deps = deps;
  }

  /** The pod's containers as the cache knows them; undefined when it has none. */
  snapshot(name: string): PodSnapshot | undefined {
    const containers = this.#deps.cache.ofPod(name);
    if (containers.length === 0) return undefined;
    let infra: ContainerDetails | undefined;
    const apps: ContainerDetails[] = [];
    for (const details of containers) {
      if (readMemberLabels(details.labels)?.role === 'infra') infra = details;
      else apps.push(details);
    }
    const spec =
      this.#deps.specs.of(infra) ??
      this.#pending.get(name)?.spec ??
      (infra === undefined ? this.#deps.specs.lastOf(name) : undefined);
    return {name, infra, apps, spec};
  }

  /** The pod's view; a pod being created by this process shows before its first container exists. */
  view(name: string): PodView | undefined {
    const generation = this.#generations.get(name) ?? 0;
    const inputs = this.#inputs(name);
    const memo = this.#memo.get(name);
    if (memo !== undefined && memo.generation === generation && sameInputs(memo.inputs, inputs))
      return memo.view;
    const view = this.#build(name);
    if (view === undefined) this.#memo.delete(name);
    else this.#memo.set(name, {generation, inputs, view});
    return view;
  }

  /** What a view shows beyond Docker's state and the overlay, which change without either changing. */
  #inputs(name: string): unknown[] {
    const {viewDeps} = this.#deps;
    const inputs: unknown[] = [viewDeps.knownPodIp(name)];
    for (const details of this.#deps.cache.ofPod(name)) {
      inputs.push(viewDeps.health(details.id), viewDeps.extraRestarts(details.id));
    }
    return inputs;
  }

  #touch(name: string): void {
    this.#generations.set(name, (this.#generations.get(name) ?? 0) + 1);
  }

  #build(name: string): PodView | undefined {
    const snapshot = this.snapshot(name);
    const overlay = this.#overlays.get(name);
    if (snapshot !== undefined) return podView(snapshot, overlay, this.#deps.viewDeps);
    const pending = this.#pending.get(name);
    if (pending === undefined || overlay === undefined) return undefined;
    return podView({name, infra: undefined, apps: [], spec: pending.spec}, overlay, this.#deps.viewDeps);
  }

  /** A view of `spec` with no container behind it: a create that failed and was rolled back. */
  failedView(spec: PodSpec, message: string): PodView {
    const view = podView({name: spec.name, infra: undefined, apps: [], spec}, undefined, this.#deps.viewDeps);
    return {...view, status: 'failed', message};
  }

  views(): PodView[] {
    const names = new Set([...this.#deps.cache.pods(), ...this.#pending.keys()]);
    return [...names].sort().flatMap((name) => {
      const view = this.view(name);
      return view === undefined ? [] : [view];
    });
  }

  /** The view of container `id` inside its pod's view. */
  containerView(id: string): ContainerView | undefined {
    const details = this.#deps.cache.get(id);
    const member = details === undefined ? undefined : readMemberLabels(details.labels);
    if (member === undefined) return undefined;
    const view = this.view(member.pod);
    if (view === undefined) return undefined;
    return view.infra.id === id ? view.infra : view.containers.find((container) => container.id === id);
  }

  /** Whether this process has an operation in flight on the pod. */
  busy(name: string): boolean {
    return this.#overlays.has(name) || this.#pending.has(name);
  }

  /** Marks a create in flight (the pod shows as `init` before any container exists). */
  beginCreate(spec: PodSpec): void {
    this.#pending.set(spec.name, {spec});
    this.#touch(spec.name);
    this.setOverlay(spec.name, {status: 'init', message: 'creating'});
  }

  endCreate(name: string): void {
    this.#pending.delete(name);
    this.#touch(name);
    this.setOverlay(name, undefined);
  }

  /** Sets (or clears) the pod's in-flight overlay, and tells listeners when its status changed. */
  setOverlay(name: string, overlay: Overlay | undefined): void {
    if (overlay === undefined) this.#overlays.delete(name);
    else this.#overlays.set(name, overlay);
    this.#touch(name);
    this.notifyPod(name);
  }

  /** Applies one container change: the container's event, then its pod's. */
  onChange(change: ContainerChange): void {
    const {current, previous, action, pod} = change;
    this.#touch(pod);
    if (
      current === undefined &&
      previous !== undefined &&
      readMemberLabels(previous.labels)?.role === 'infra'
    ) {
      this.#deps.specs.forget(previous.id);
    }
    const statusChanged = previous?.state.status !== current?.state.status;
    if (action !== 'reconcile' || statusChanged) {
      const view = this.#viewOfChange(change);
      if (view !== undefined) {
        this.#deps.bus.emit('container:status', {
          pod,
          container: view,
          previous: previous === undefined ? null : previous.state.status,
          action,
        });
      }
    }
    this.notifyPod(pod);
  }

  /** Emits `pod:status` when the pod's status moved, `pod:removed` when it is gone. */
  notifyPod(name: string): void {
    const view = this.view(name);
    const last = this.#lastStatus.get(name);
    if (view === undefined) {
      this.#generations.delete(name);
      this.#deps.specs.forgetPod(name);
      if (last !== undefined) {
        this.#lastStatus.delete(name);
        const id = this.#lastInfraId.get(name) ?? '';
        this.#lastInfraId.delete(name);
        this.#deps.bus.emit('pod:removed', {name, id});
      }
      return;
    }
    if (view.id !== '') this.#lastInfraId.set(name, view.id);
    if (last === view.status) return;
    this.#lastStatus.set(name, view.status);
    this.#deps.bus.emit('pod:status', {pod: view, previous: last ?? null});
  }

  #viewOfChange(change: ContainerChange): ContainerView | undefined {
    if (change.current !== undefined) return this.containerView(change.id);
    const previous = change.previous;
    const member = previous === undefined ? undefined : readMemberLabels(previous.labels);
    if (member === undefined) return undefined;
    const view = containerView(
      change.pod,
      {name: member.container, role: member.role, image: previous?.image ?? ''},
      undefined,
      this.#deps.viewDeps,
    );
    // Gone, but still named by what it was: listeners match it by id.
    return {...view, id: change.id, dockerName: previous?.name ?? view.dockerName, message: 'removed'};
  }
}
