/**
The engine's health checkers wired to its pods: each app's checker kept in line with the container's state and
the pod's address, verdict changes told as `container:health`, and the restart action on the threshold.
*/
import {toEngineError} from '../errors.js';
import {networkOf, toHealthCheckSpec} from '../pod/spec/defaults.js';
import {indexPath} from '../task/issue-path.js';
import type {EngineContext} from './context.js';
import type {HealthTarget} from './health-supervisor.js';
import {graceOf} from './pod-members.js';
import {appSlots, podIpOf, type PodSnapshot} from './views.js';

/** Every app's checker in line with its state and the pod's current address. */
export function syncHealth(ctx: EngineContext, snapshot: PodSnapshot): void {
  const ip = podIpOf(snapshot, {
    health: () => null,
    extraRestarts: () => 0,
    knownPodIp: (pod) => ctx.podIps.get(pod),
  });
  const network = snapshot.spec === undefined ? undefined : networkOf(snapshot.spec);
  // Bridge and user networks: the infra's address is reachable from the host; host and none have none.
  const local =
    network === undefined ||
    (network.driver === 'docker' && (network.name === 'host' || network.name === 'none'));
  const host = local || ip === '' ? '127.0.0.1' : ip;
  appSlots(snapshot).forEach((slot, index) => {
    if (slot.details === undefined) return;
    const entry = snapshot.spec?.containers.find((container) => container.name === slot.name);
    const target: HealthTarget | undefined =
      entry?.healthCheck === undefined
        ? undefined
        : {
            pod: snapshot.name,
            name: slot.name,
            spec: toHealthCheckSpec(entry.healthCheck),
            host,
            path: `${indexPath('containers', index)}.healthCheck`,
          };
    ctx.health.sync(slot.details.id, slot.details, target);
  });
}

/** A checker's verdict changed: `container:health`, an activity entry, and the pod's status re-derived. */
export function onVerdict(ctx: EngineContext, id: string, previous: boolean | null): void {
  const view = ctx.tracker.containerView(id);
  if (view === undefined) return;
  ctx.bus.emit('container:health', {pod: view.pod, container: view, previous});
  if (view.healthy !== null) {
    ctx.activity.add({
      level: view.healthy ? 'info' : 'warn',
      source: 'engine',
      pod: view.pod,
      container: view.name,
      message: `${view.pod}/${view.name} is ${view.healthy ? 'healthy' : 'unhealthy'}`,
    });
  }
  ctx.tracker.notifyPod(view.pod);
}

/**
The failure threshold was reached (the checker's own transition): with action `restart`, the supervising engine
restarts the container and checks it anew. An observing engine probes too, but only reports.
*/
export async function onThreshold(ctx: EngineContext, id: string, target: HealthTarget): Promise<void> {
  if (target.spec.action !== 'restart' || ctx.tracker.busy(target.pod) || !ctx.supervising()) return;
  if (ctx.cache.get(id)?.state.status !== 'running') return;
  const spec = ctx.tracker.snapshot(target.pod)?.spec;
  // Counted before the restart: its `start` event may be reported before the call returns.
  ctx.restarts.countRestart(id);
  try {
    await ctx.runtime.restartContainer(id, {timeoutSeconds: graceOf(spec, target.name)});
    ctx.health.reset(id);
    ctx.activity.add({
      level: 'warn',
      source: 'engine',
      pod: target.pod,
      container: target.name,
      message: `restarted ${target.pod}/${target.name}: health check failed ${target.spec.consecutiveFailures} times`,
    });
  } catch (error) {
    ctx.restarts.countRestart(id, -1);
    ctx.activity.add({
      level: 'error',
      source: 'engine',
      pod: target.pod,
      container: target.name,
      message: `restarting unhealthy ${target.pod}/${target.name} failed: ${toEngineError(error).message}`,
    });
  }
  await ctx.cache.refresh(id, 'restart');
}
