/**
Builds a ready-to-start HealthChecker from a task's HealthCheckSpec: the glue the pod layer uses.
*/
import {EngineError, validationError} from '../errors.js';
import type {HealthCheckSpec} from '../task/types.js';
import {HealthChecker} from './checker.js';
import type {HealthClock} from './clock.js';
import {commandProbe, type CommandRunner} from './command-probe.js';
import {httpProbe} from './http-probe.js';
import type {Probe} from './probe.js';
import {splitArgv} from './split-argv.js';
import {tcpProbe} from './tcp-probe.js';
import {validateHealthCheck} from './validate.js';

export interface HealthCheckTarget {
  /** Where http and tcp probes connect: the container's (or pod's) IP, or 127.0.0.1 for published ports. */
  readonly host: string;
  /** Runs command probes inside the container; required for `command` checks. */
  readonly runner?: CommandRunner;
}

export interface CreateHealthCheckerOptions extends HealthCheckTarget {
  readonly clock?: HealthClock;
  readonly historySize?: number;
  /** Path prefix for validation issues, e.g. `containers[0].healthCheck` (default `healthCheck`). */
  readonly path?: string;
}

/** The probe a spec describes, bound to its target. The spec must already be valid (see validateHealthCheck). */
export function createProbe(spec: HealthCheckSpec, target: HealthCheckTarget): Probe {
  const {host, runner} = target;
  switch (spec.type) {
    case 'http': {
      const scheme = spec.scheme === 'https' ? 'https' : 'http';
      const httpTarget = {scheme, host, port: spec.port ?? 0, path: spec.path ?? '/'} as const;
      return (options) => httpProbe(httpTarget, options);
    }
    case 'tcp': {
      const tcpTarget = {host, port: spec.port ?? 0};
      return (options) => tcpProbe(tcpTarget, options);
    }
    case 'command': {
      if (runner === undefined) {
        throw new EngineError('UNSUPPORTED', 'command health checks need a command runner', {
          details: {type: spec.type},
        });
      }
      // Split once here, so a bad string fails at creation rather than at every probe.
      const command = typeof spec.command === 'string' ? splitArgv(spec.command) : [...(spec.command ?? [])];
      return (options) => commandProbe({command, runner}, options);
    }
  }
}

/** Validates `spec` (throwing VALIDATION with every issue) and returns a stopped checker for it. */
export function createHealthChecker(
  spec: HealthCheckSpec,
  options: CreateHealthCheckerOptions,
): HealthChecker {
  const issues = validateHealthCheck(spec, options.path ?? 'healthCheck');
  if (issues.length > 0) throw validationError(issues, 'health check');
  const probe = createProbe(spec, options);
  return new HealthChecker(
    {
      intervalSeconds: spec.intervalSeconds,
      timeoutSeconds: spec.timeoutSeconds,
      gracePeriodSeconds: spec.gracePeriodSeconds,
      consecutiveFailures: spec.consecutiveFailures,
      action: spec.action ?? 'report',
      ...(options.historySize === undefined ? {} : {historySize: options.historySize}),
    },
    {probe, ...(options.clock === undefined ? {} : {clock: options.clock})},
  );
}
