/**
What createEngine takes (src/engine/create-engine.ts).
*/
import type {HealthClock} from '../health/clock.js';
import type {CreatorId} from '../pod/creator.js';
import type {PodCniOptions} from '../pod/pod-config.js';
import type {ContainerRuntime} from '../runtime/port.js';
import type {EngineOptions} from './engine.js';
import type {SupervisorLease} from './supervisor-lease.js';

/** What createEngine takes. */
export interface CreateEngineOptions extends EngineOptions {
  readonly runtime: ContainerRuntime;
  /** The CNI driver's conf dir and plugin dirs (pods with `network.driver: cni` need it). */
  readonly cni?: PodCniOptions;
  /** Timers and time (health checks, back-off, reconcile); default the system clock. */
  readonly clock?: HealthClock;
  /** BCS_NODE_IP; default the seed's rule (eth1, eth0, first private IPv4). */
  readonly nodeIp?: string;
  /** Default 30 s. */
  readonly reconcileIntervalMs?: number;
  /** Whether a creator process is alive (tests); default: /proc on this host. */
  readonly isCreatorAlive?: (id: CreatorId) => boolean;
  /**
  The right to act on the endpoint's pods (see supervisor-lease.ts); default the abstract socket named after
  the runtime's endpoint, shared by every engine process on this host.
  */
  readonly supervisorLease?: SupervisorLease;
  /**
  False for a short-lived process (a headless command): it never takes the lease, so it never supervises for a
  moment and hands the pods back as it exits; its own starts still ask the supervisor to hold off. Default true.
  */
  readonly supervise?: boolean;
}
