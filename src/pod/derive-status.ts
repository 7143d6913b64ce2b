/**
A pod's status, derived from its containers' Docker state and its restart policy: the table of docs/pods.md,
as one pure function every process runs on the same labels and states, so they all agree. Only the in-flight
overlays (`init`/`starting` of a create, `killing` of a stop) come from the process doing the work.
*/
import type {RestartPolicy, PodStatus} from '../engine/types.js';
import type {ContainerStatus, RestartPolicySpec} from '../runtime/port.js';

/** What derivation needs of one container. */
export interface MemberState {
  /** Docker's status, or `missing` when the container does not exist. */
  readonly status: ContainerStatus | 'missing';
  readonly exitCode: number;
  readonly oomKilled: boolean;
  /** Started at least once (Docker's StartedAt is not its zero time). */
  readonly started: boolean;
  /** RFC 3339 (Docker's zero time when it never finished): the first app to fail names the failure. */
  readonly finishedAt: string;
  /**
  The container's own Docker restart policy. The engine sets it to `no` before it stops a container on
  purpose, so `no` on a member of an OnFailure/Always pod means "stopped deliberately, not to be restarted".
  */
  readonly restartPolicy?: RestartPolicySpec['name'];
  /** The engine's health check verdict: null without a check or before it decided. */
  readonly healthy?: boolean | null;
}

/** An app's state, with its name in the spec. */
export interface AppMemberState extends MemberState {
  /** The container's name in the spec. */
  readonly name: string;
}

/** Everything derivePodStatus reads. */
export interface DeriveInput {
  readonly restartPolicy: RestartPolicy;
  readonly infra: MemberState;
  /** App containers in spec order (missing ones included). */
  readonly apps: readonly AppMemberState[];
}

/** A pod status and the message that says why. */
export interface DerivedStatus {
  readonly status: PodStatus;
  readonly message: string;
}

/** Exit code of a process killed by SIGKILL: the infra's mark of a deliberate stop (docs/pods.md). */
export const DELIBERATE_STOP_EXIT_CODE = 137;

const UP: ReadonlySet<string> = new Set(['running', 'paused', 'restarting']);
const DOWN: ReadonlySet<string> = new Set(['exited', 'dead', 'removing']);

/**
Whether the pod's policy brings an exited app back (Docker itself, or the engine after an out-of-band stop):
Always for any exit, OnFailure for a non-zero one; never for a `dead` container, and never once the engine
withdrew the container's Docker policy to stop it deliberately.
*/
export function policyRestarts(policy: RestartPolicy, member: MemberState): boolean {
  if (member.status === 'dead' || member.restartPolicy === 'no') return false;
  if (policy === 'Always') return true;
  return policy === 'OnFailure' && member.exitCode !== 0;
}

/**
Under OnFailure an app that exited 0 on its own has completed its work (Kubernetes' "Completed"): the pod runs on
with the others. One the engine stopped on purpose carries the withdrawn policy `no` and does not count.
*/
function completed(policy: RestartPolicy, member: MemberState): boolean {
  return (
    policy === 'OnFailure' &&
    DOWN.has(member.status) &&
    member.status !== 'dead' &&
    member.exitCode === 0 &&
    member.restartPolicy !== 'no'
  );
}

function exitText(member: AppMemberState): string {
  const oom = member.oomKilled ? ' (OOM killed)' : '';
  return `container ${member.name} exited with ${member.exitCode}${oom}`;
}

/** The app whose failure names the pod's: the one that finished first (others are often stopped because of it). */
function firstFailure(failed: readonly AppMemberState[]): AppMemberState | undefined {
  let first: AppMemberState | undefined;
  for (const member of failed) {
    if (first === undefined || member.finishedAt < first.finishedAt) first = member;
  }
  return first;
}

function runningMessage(apps: readonly AppMemberState[]): string {
  const checked = apps.filter((app) => app.healthy !== undefined && app.healthy !== null);
  const unhealthy = checked.filter((app) => app.healthy === false).map((app) => app.name);
  if (unhealthy.length > 0) return `running, unhealthy: ${unhealthy.join(', ')}`;
  if (checked.length > 0 && checked.length === apps.filter((app) => app.healthy !== undefined).length) {
    return 'running, all health checks pass';
  }
  return 'running';
}

function infraDown(infra: MemberState, apps: readonly AppMemberState[]): DerivedStatus {
  const appRunning = apps.some((app) => UP.has(app.status));
  if (infra.exitCode === DELIBERATE_STOP_EXIT_CODE && !appRunning)
    return {status: 'killed', message: 'stopped'};
  return {status: 'failed', message: `infra container exited (${infra.exitCode})`};
}

function infraUp(policy: RestartPolicy, apps: readonly AppMemberState[]): DerivedStatus {
  const missing = apps.find((app) => app.status === 'missing');
  if (missing !== undefined) return {status: 'failed', message: `container ${missing.name} was removed`};
  if (
    apps.length > 0 &&
    apps.every((app) => DOWN.has(app.status) && app.exitCode === 0 && app.status !== 'dead')
  ) {
    return {status: 'finish', message: 'all containers exited with 0'};
  }
  const failed = apps.filter(
    (app) => DOWN.has(app.status) && !policyRestarts(policy, app) && !completed(policy, app),
  );
  const first = firstFailure(failed);
  if (first !== undefined) return {status: 'failed', message: exitText(first)};
  if (apps.some((app) => !app.started || app.status === 'created'))
    return {status: 'starting', message: 'starting'};
  const done = apps.filter((app) => completed(policy, app)).map((app) => app.name);
  const message = runningMessage(apps.filter((app) => !completed(policy, app)));
  return {
    status: 'running',
    message: done.length > 0 ? `${message}; completed: ${done.join(', ')}` : message,
  };
}

/**
The pod status of docs/pods.md's table, in its order of precedence:

| Docker state | status |
|---|---|
| no container at all | unknown |
| infra missing while the pod has apps | failed "infra container missing" |
| infra created (never started), no app started | init "creating" |
| infra down (exited/dead), exit 137, no app running | killed "stopped" |
| infra down otherwise | failed "infra container exited (code)" |
| infra up, an app missing | failed "container x was removed" |
| infra up, every app exited 0 | finish |
| infra up, an app exited/dead and the policy does not bring it back | failed "container x exited with code" (+ OOM) |
| infra up, an app never started | starting |
| infra up, every app running, paused or restarting (or exited, to be restarted) | running (+ health summary) |

A restarting infra counts as up (the pod comes back with it). Under Never, an exit 0 while other apps still run
fails the pod, as the seed's case 38 does; under OnFailure such an app has completed and the pod runs on;
`finish` needs every app to have exited 0.
*/
export function derivePodStatus(input: DeriveInput): DerivedStatus {
  const {infra, apps, restartPolicy} = input;
  if (infra.status === 'missing') {
    return apps.some((app) => app.status !== 'missing')
      ? {status: 'failed', message: 'infra container missing'}
      : {status: 'unknown', message: ''};
  }
  if (infra.status === 'created' && !infra.started) {
    if (!apps.some((app) => app.started)) return {status: 'init', message: 'creating'};
    return {status: 'failed', message: 'infra container is not running'};
  }
  if (DOWN.has(infra.status) || infra.status === 'created') return infraDown(infra, apps);
  return infraUp(restartPolicy, apps);
}

/** Docker's zero time, which StartedAt and FinishedAt carry for "never". */
export const DOCKER_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Whether a Docker timestamp means "never". */
export function isZeroTime(value: string): boolean {
  return value === '' || value.startsWith('0001-01-01');
}
