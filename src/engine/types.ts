/**
The engine facade the faces use (TUI, rpc, mcp, headless commands): views of pods and containers, the typed
event bus, and the operations. Built by `createEngine` (src/engine/create-engine.ts).

Views are plain JSON-safe objects (they go on the wire as they are). Secret env values never appear in them.
*/
import type {ContainerStatus, HealthStatus, PublishedPort} from '../runtime/port.js';

/** The seed's PodStatus values. */
export type PodStatus =
  'unknown' | 'init' | 'starting' | 'running' | 'failed' | 'killing' | 'killed' | 'finish';

export const POD_STATUSES: readonly PodStatus[] = [
  'unknown',
  'init',
  'starting',
  'running',
  'failed',
  'killing',
  'killed',
  'finish',
];

export type RestartPolicy = 'Never' | 'OnFailure' | 'Always';

/** One health probe result. */
export interface ProbeRecord {
  /** RFC 3339. */
  readonly at: string;
  readonly ok: boolean;
  readonly output: string;
  readonly durationMs: number;
}

export interface HealthView {
  readonly type: 'http' | 'tcp' | 'command';
  /** 'starting' during the grace period and before the first result. */
  readonly status: 'starting' | 'healthy' | 'unhealthy';
  readonly consecutiveFailures: number;
  readonly totalFailures: number;
  readonly totalChecks: number;
  /** Most recent last. */
  readonly history: readonly ProbeRecord[];
}

export interface ContainerView {
  /** The container's name in the pod spec (`infra` for the infra container). */
  readonly name: string;
  readonly pod: string;
  readonly role: 'infra' | 'app';
  /** Docker id; '' when not created (yet, or any more). */
  readonly id: string;
  readonly dockerName: string;
  readonly image: string;
  /** Docker's status, or 'missing' when the container does not exist. */
  readonly status: ContainerStatus | 'missing';
  /** null when the container has no health check. */
  readonly healthy: boolean | null;
  readonly health: HealthView | null;
  /** Docker's own HEALTHCHECK status, when the image defines one. */
  readonly dockerHealth: HealthStatus | null;
  /** null while it never exited. */
  readonly exitCode: number | null;
  readonly oomKilled: boolean;
  readonly restartCount: number;
  /** RFC 3339, or null. */
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly pid: number;
  readonly message: string;
}

export interface PodView {
  readonly name: string;
  /** The infra container's id (the pod's id); '' before it exists. */
  readonly id: string;
  readonly status: PodStatus;
  readonly message: string;
  /** The pod IP ('' for host/none networks). */
  readonly ip: string;
  readonly network: {readonly driver: 'docker' | 'cni'; readonly name: string};
  readonly hostname: string;
  readonly ports: readonly PublishedPort[];
  readonly restartPolicy: RestartPolicy;
  /** RFC 3339. */
  readonly createdAt: string;
  /** null when no container has a health check. */
  readonly healthy: boolean | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly specHash: string;
  readonly infra: ContainerView;
  /** App containers in spec order. */
  readonly containers: readonly ContainerView[];
}

/** Something the engine did or saw, for event logs (the TUI's events tab, rpc logs). */
export interface EngineActivity {
  readonly at: string;
  readonly level: 'info' | 'warn' | 'error';
  /** 'engine' (the engine acted), 'docker' (Docker reported), 'user' (a face asked). */
  readonly source: 'engine' | 'docker' | 'user';
  readonly message: string;
  readonly pod?: string;
  readonly container?: string;
}

export interface ConnectionState {
  readonly connected: boolean;
  readonly endpoint: string;
  readonly apiVersion: string;
  /** Present while disconnected. */
  readonly error?: string;
  /**
  Whether this engine holds the endpoint's supervisor lease and acts on its own (restart policy, health-check
  restarts, the crash rule), or only observes while another engine process does (docs/pods.md, "Supervision").
  */
  readonly supervisor?: 'supervising' | 'observing';
}

/** The typed event bus: event name → payload. */
export interface EngineEvents {
  'pod:status': {readonly pod: PodView; readonly previous: PodStatus | null};
  'pod:removed': {readonly name: string; readonly id: string};
  'container:status': {
    readonly pod: string;
    readonly container: ContainerView;
    readonly previous: ContainerView['status'] | null;
    /** The Docker action behind it (`die`, `start`, `oom`, `destroy`, ...) or `reconcile`. */
    readonly action: string;
  };
  'container:health': {
    readonly pod: string;
    readonly container: ContainerView;
    readonly previous: boolean | null;
  };
  'engine:connection': ConnectionState;
  'engine:activity': EngineActivity;
}

export type EngineEventName = keyof EngineEvents;
export type Unsubscribe = () => void;
