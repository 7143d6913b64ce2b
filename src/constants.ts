/** Seconds added to a stop's own timeout before the engine gives up waiting and kills (seed: StopContainerGraceTime). */
export const STOP_CONTAINER_GRACE_TIME = 10;

/** CFS period in microseconds used with CPU limits (seed: DefaultDockerCPUPeriod). */
export const DEFAULT_DOCKER_CPU_PERIOD = 100_000;

/** Docker refuses memory limits under 6 MiB on current engines. */
export const DOCKER_MIN_MEMORY_BYTES = 6 * 1024 * 1024;

/** Docker refuses a CPU quota under 1000 µs. */
export const DOCKER_MIN_CPU_QUOTA = 1000;

/** The seed's container status strings (Docker's State.Status). */
export const CONTAINER_STATUS = {
  PAUSED: 'paused',
  RESTARTING: 'restarting',
  RUNNING: 'running',
  DEAD: 'dead',
  CREATED: 'created',
  EXITED: 'exited',
} as const;

/** Label namespace: state lives only in these labels on Docker objects. */
export const LABEL_PREFIX = 'dev.bcs-executor.';

export const LABELS = {
  /** Present on everything the engine created; its value is the engine's schema version. */
  managed: `${LABEL_PREFIX}managed`,
  /** The pod's name. */
  pod: `${LABEL_PREFIX}pod`,
  /** `infra` or `app`. */
  role: `${LABEL_PREFIX}role`,
  /** The container's name inside the pod spec. */
  container: `${LABEL_PREFIX}container`,
  /** Position of the container in the spec (start order). */
  order: `${LABEL_PREFIX}order`,
  /** Hash of the pod spec. */
  specHash: `${LABEL_PREFIX}spec-hash`,
  /** The pod spec itself (JSON), on the infra container. */
  spec: `${LABEL_PREFIX}spec`,
  /** Set by tests on everything they create, so they clean up by label and never prune globally. */
  testRun: `${LABEL_PREFIX}test-run`,
} as const;

/** Local images the set-up builds (no registry is reachable). */
export const LOCAL_IMAGES = {
  pause: 'bcs-executor/pause:local',
  demo: 'bcs-executor/demo:local',
} as const;

/** Output cap for exec when the caller gives none (CRI ExecSync caps at 16 MiB). */
export const DEFAULT_EXEC_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
