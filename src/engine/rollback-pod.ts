/**
Removing a pod without ceremony (the crash rule's rollback): CNI DEL from the infra's labels, then every
container force-removed. No kill policies: nothing in a half-created pod is serving anyone.
*/
import {cniDel} from '../network/cni/cni-network.js';
import {readCniLabels} from '../pod/labels.js';
import {cleanupSignal, cniTeardown, removePodContainers} from '../pod/pod-ops.js';
import type {EngineContext} from './context.js';
import {allIds} from './pod-members.js';
import type {PodSnapshot} from './views.js';

export async function rollBackPod(ctx: EngineContext, snapshot: PodSnapshot): Promise<void> {
  const {infra} = snapshot;
  const cni = readCniLabels(infra?.labels ?? {});
  if (infra !== undefined && cni !== undefined) {
    await cniTeardown(ctx.cni?.del ?? cniDel, {
      infraId: infra.id,
      infraPid: infra.state.pid,
      cni,
      pluginDirs: ctx.cni?.pluginDirs,
      timeoutMs: ctx.cni?.timeoutMs,
    });
  }
  const ids = allIds(snapshot);
  await removePodContainers(
    ctx.runtime,
    ids.filter((id) => id !== infra?.id),
    infra?.id,
    cleanupSignal(),
  );
  for (const id of ids) ctx.restarts.forget(id);
  await ctx.refreshPod(snapshot.name, ids);
}
