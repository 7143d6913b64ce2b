/**
Restart policy Never: an app that exits fails the pod, and the other apps are stopped (reverse spec order, kill
policies); the infra stays, so the failure can be inspected and logs read. Two ways in:

- the supervising engine's reaction to one app's exit (`stopOthersAfterExit`), which acts only while that exit
  is the app's latest run and only on apps that were running when it happened (see exit-runs.ts), checked
  again before each stop, since a start (of this engine or another) may come in between;
- the conclusion of the engine's own start (`concludeStart`): an app that exited while the engine was still
  starting the pod fails it, and the apps that start brought up after the exit are stopped too, since they
  were started as part of the same start, not in answer to the failure.
*/
import type {ActivityLog} from '../events/activity-log.js';
import {isZeroTime} from '../pod/derive-status.js';
import {readMemberLabels} from '../pod/labels.js';
import {stopApps, type StopMember} from '../pod/pod-ops.js';
import type {ContainerDetails, ContainerRuntime} from '../runtime/port.js';
import type {EngineContext} from './context.js';
import {DOWN, stillEnded, UP, upSince, type ExitRecord} from './exit-runs.js';
import {stopMembers} from './pod-members.js';
import {restartPolicyOf, type PodSnapshot} from './views.js';

/** What the Never policy reads and calls. */
export interface NeverPolicyDeps {
  readonly runtime: ContainerRuntime;
  readonly activity: ActivityLog;
  readonly snapshot: (pod: string) => PodSnapshot | undefined;
  /** Re-inspects a container (serialized with the event path); the current details. */
  readonly refresh: (id: string, action: string) => Promise<ContainerDetails | undefined>;
}

/** The Never policy's dependencies over the engine's context. */
export function neverPolicyDeps(ctx: EngineContext): NeverPolicyDeps {
  return {
    runtime: ctx.runtime,
    activity: ctx.activity,
    snapshot: (pod) => ctx.tracker.snapshot(pod),
    refresh: (id, action) => ctx.cache.refresh(id, action),
  };
}

function detailsOf(snapshot: PodSnapshot, id: string): ContainerDetails | undefined {
  return snapshot.apps.find((app) => app.id === id);
}

function stopping(pod: string, failed: string, members: readonly StopMember[], why: string): string {
  const names = members.map((member) => member.name).join(', ');
  return `pod ${pod} failed (container ${failed} ${why}, restart policy Never): stopping ${names}`;
}

/**
The reaction to `record` (an app's run that ended): stops the other apps that were running when it ended.
`proceed` is asked before each step (the engine still supervises, no operation of its own on the pod, no start
superseded the reaction); so is Docker, for the exit still being the app's latest run and each app's run.
*/
export async function stopOthersAfterExit(
  deps: NeverPolicyDeps,
  record: ExitRecord,
  proceed: () => boolean,
): Promise<void> {
  const {pod} = record;
  if (!proceed()) return;
  if (!stillEnded(await deps.refresh(record.id, 'reconcile'), record)) return;
  const snapshot = deps.snapshot(pod);
  if (snapshot?.infra?.state.status !== 'running' || restartPolicyOf(snapshot) !== 'Never') return;
  const targets = stopMembers(snapshot).filter(
    (member) => member.id !== record.id && upSince(detailsOf(snapshot, member.id), record.endedAtNs),
  );
  if (targets.length === 0 || !proceed()) return;
  deps.activity.add({
    level: 'warn',
    source: 'engine',
    pod,
    container: record.name,
    message: stopping(pod, record.name, targets, `exited with ${record.exitCode}`),
  });
  for (const member of [...targets].reverse()) {
    // Each stop takes up to its grace period; a start may have come in meanwhile.
    if (!proceed() || !stillEnded(await deps.refresh(record.id, 'reconcile'), record)) return;
    if (!upSince(await deps.refresh(member.id, 'reconcile'), record.endedAtNs) || !proceed()) continue;
    await stopApps(deps.runtime, [member], {});
    await deps.refresh(member.id, 'reconcile');
  }
}

/** Whether app `after` ended during a start that found it as `before` (the start ran it, or it was running). */
function endedDuringStart(before: ContainerDetails | undefined, after: ContainerDetails): boolean {
  if (!DOWN.has(after.state.status) || isZeroTime(after.state.startedAt)) return false;
  if (before === undefined) return true;
  return UP.has(before.state.status) || before.state.startedAt !== after.state.startedAt;
}

/**
After this engine started the pod (`before`: the pod as the start found it, undefined for a create): under
Never, an app that ended during the start fails the pod and every app still up is stopped. Call while the pod
is still marked busy, with the cache refreshed.
*/
export async function concludeStart(
  deps: NeverPolicyDeps,
  pod: string,
  before: PodSnapshot | undefined,
): Promise<void> {
  const snapshot = deps.snapshot(pod);
  if (snapshot?.infra?.state.status !== 'running' || restartPolicyOf(snapshot) !== 'Never') return;
  const failed = snapshot.apps.find((app) =>
    endedDuringStart(before === undefined ? undefined : detailsOf(before, app.id), app),
  );
  if (failed === undefined) return;
  const targets = stopMembers(snapshot).filter((member) =>
    UP.has(detailsOf(snapshot, member.id)?.state.status ?? ''),
  );
  if (targets.length === 0) return;
  const name = readMemberLabels(failed.labels)?.container ?? failed.name;
  deps.activity.add({
    level: 'warn',
    source: 'engine',
    pod,
    container: name,
    message: stopping(pod, name, targets, `exited with ${failed.state.exitCode} while the pod was starting`),
  });
  await stopApps(deps.runtime, targets, {});
  await Promise.all(targets.map((member) => deps.refresh(member.id, 'reconcile')));
}
