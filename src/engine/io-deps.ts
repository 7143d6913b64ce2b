/**
The resolvers the I/O operations (src/engine/io) take: container and pod refs resolved against the engine's
cache of managed containers, after a sync.
*/
import type {IoDeps, ResolvedContainer, ResolvedPod} from './io/deps.js';
import type {EngineContext} from './context.js';
import {resolveContainer} from './container-ops.js';
import {podSnapshot} from './pod-access.js';
import {appSlots} from './views.js';
import {dockerContainerName} from '../pod/spec/to-tasks.js';
import {secretKeysOf} from './secret-env.js';

/** The I/O operations' dependencies over this engine's cache and resolvers. */
export function ioDeps(ctx: EngineContext): IoDeps {
  return {
    runtime: ctx.runtime,
    resolve: async (ref, signal): Promise<ResolvedContainer> => {
      const {details, member} = await resolveContainer(ctx, ref, signal);
      return {
        id: details.id,
        dockerName: details.name,
        pod: member.pod,
        name: member.container,
        role: member.role,
        tty: details.config.tty,
      };
    },
    resolvePod: async (ref, signal): Promise<ResolvedPod> => {
      const snapshot = await podSnapshot(ctx, ref, signal);
      return {
        name: snapshot.name,
        infraId: snapshot.infra?.id ?? '',
        apps: appSlots(snapshot).map((slot) => ({
          id: slot.details?.id ?? '',
          dockerName: slot.details?.name ?? dockerContainerName(snapshot.name, slot.name),
          pod: snapshot.name,
          name: slot.name,
          role: 'app',
          tty: slot.details?.config.tty ?? false,
        })),
      };
    },
    secretEnvKeys: (pod, containerId) =>
      secretKeysOf(ctx.tracker.snapshot(pod)?.spec, ctx.cache.get(containerId)?.labels ?? {}),
  };
}
