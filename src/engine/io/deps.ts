/**
What the engine's I/O operations need, passed explicitly: the runtime, and resolvers from a user's ref to the
Docker objects behind it. The pod core implements the resolvers (refs.ts); the operations here never look
anything up by themselves, so they run the same over dockerd and over the in-memory fake.
*/
import {EngineError} from '../../errors.js';
import type {ContainerRuntime} from '../../runtime/port.js';

/** A container ref resolved to its Docker object. */
export interface ResolvedContainer {
  /** Docker id (full). */
  readonly id: string;
  readonly dockerName: string;
  /** The pod it belongs to ('' for a container outside any pod). */
  readonly pod: string;
  /** The container's name in the pod spec (`infra` for the infra container). */
  readonly name: string;
  readonly role: 'infra' | 'app';
  /** Whether it runs with a TTY (its logs are raw then, with CRLF line ends). */
  readonly tty: boolean;
}

/** A pod ref resolved to its containers. */
export interface ResolvedPod {
  readonly name: string;
  /** The infra container's id; '' when it does not exist. */
  readonly infraId: string;
  /** App containers in spec order; one whose `id` is '' does not exist (yet, or any more). */
  readonly apps: readonly ResolvedContainer[];
}

/** Resolves a container ref (id, unique id prefix, Docker name or `POD/CONTAINER`); NOT_FOUND otherwise. */
export type ResolveContainer = (ref: string, signal?: AbortSignal) => Promise<ResolvedContainer>;

/** Resolves a pod ref (name, infra id or unique prefix); NOT_FOUND otherwise. */
export type ResolvePod = (ref: string, signal?: AbortSignal) => Promise<ResolvedPod>;

/** The dependencies of every I/O operation. */
export interface IoDeps {
  readonly runtime: ContainerRuntime;
  readonly resolve: ResolveContainer;
  /** Needed by the pod-level operations (podLogs, podStats, followLogs/followStats of a pod ref). */
  readonly resolvePod?: ResolvePod;
  /**
  The env keys of member `containerId` of pod `pod` whose values are secret (kept out of committed images);
  undefined when nothing says which are.
  */
  readonly secretEnvKeys?: (pod: string, containerId: string) => ReadonlySet<string> | undefined;
}

/** The pod resolver, which pod-level operations cannot do without (UNSUPPORTED when absent). */
export function requirePodResolver(deps: IoDeps): ResolvePod {
  if (deps.resolvePod === undefined) {
    throw new EngineError('UNSUPPORTED', 'this engine was built without a pod resolver', {
      details: {feature: 'pods'},
    });
  }
  return deps.resolvePod;
}
