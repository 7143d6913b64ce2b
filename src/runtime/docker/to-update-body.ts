import type {ResourceUpdate} from '../port.js';
import {compact} from './json.js';

/**
Maps a ResourceUpdate to `POST /containers/{id}/update`. Only the fields given are sent: Docker reads a 0 as
"unchanged", which is how the seed's variant A kept quota and period by accident; here absent means absent.
*/
export function toUpdateBody(update: ResourceUpdate): Readonly<Record<string, unknown>> {
  return compact({
    CpuShares: update.cpuShares,
    CpuPeriod: update.cpuPeriod,
    CpuQuota: update.cpuQuota,
    Memory: update.memory,
    MemorySwap: update.memorySwap,
    PidsLimit: update.pidsLimit,
    RestartPolicy:
      update.restartPolicy === undefined
        ? undefined
        : compact({
            Name: update.restartPolicy.name,
            MaximumRetryCount: update.restartPolicy.maximumRetryCount,
          }),
  });
}
