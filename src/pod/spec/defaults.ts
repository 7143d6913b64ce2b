/**
Defaults of the pod spec, in one place: the conversion to tasks, the infra settings and the canonical form (and
so the spec hash) must agree on them, or an unchanged spec would look changed.
*/
import {LOCAL_IMAGES} from '../../constants.js';
import type {RestartPolicy} from '../../engine/types.js';
import type {HealthCheckSpec} from '../../task/types.js';
import type {HealthCheckEntrySpec, PodNetworkSpec, PodSpec} from '../spec-types.js';

/** Seconds between the stop signal and SIGKILL when neither the container nor the pod says (the seed's 1 is too short). */
export const DEFAULT_GRACE_SECONDS = 10;

export const DEFAULT_RESTART_POLICY: RestartPolicy = 'Never';

export const DEFAULT_NETWORK: PodNetworkSpec = {driver: 'docker', name: 'bridge'};

/** Octal mode of a file the spec writes when it gives none. */
export const DEFAULT_FILE_MODE = '0644';

export const DEFAULT_PORT_PROTOCOL = 'tcp';

/** Health check timings when the spec leaves them out (the seed's 0/0 defaults could never pass validation). */
export const HEALTH_CHECK_DEFAULTS = {
  intervalSeconds: 10,
  timeoutSeconds: 3,
  gracePeriodSeconds: 0,
  consecutiveFailures: 3,
  action: 'report',
} as const;

/** The infra image of `spec`: its own, or the local pause image the set-up builds. */
export function infraImageOf(spec: Pick<PodSpec, 'infraImage'>): string {
  return spec.infraImage ?? LOCAL_IMAGES.pause;
}

/** The network of `spec`, defaulted to Docker's bridge. */
export function networkOf(spec: Pick<PodSpec, 'network'>): PodNetworkSpec {
  return spec.network ?? DEFAULT_NETWORK;
}

/**
A raw (unvalidated) health check with the defaults filled in for absent keys; anything that is not an object is
returned as is, so the validator can say what it is.
*/
export function healthCheckWithDefaults(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return {...HEALTH_CHECK_DEFAULTS, ...raw};
}

/** The task's health check for a validated spec entry: defaults filled, the command copied. */
export function toHealthCheckSpec(entry: HealthCheckEntrySpec): HealthCheckSpec {
  const {command, ...rest} = entry;
  return {
    ...HEALTH_CHECK_DEFAULTS,
    ...rest,
    ...(command === undefined ? {} : {command: typeof command === 'string' ? command : [...command]}),
  };
}
