/** The seed's TaskResources as params (pod.updateResources, container.update): requests and limits. */
import {z} from 'zod';

const cores = z.number().positive().max(1024);
const megabytes = z
  .int()
  .min(6)
  .max(16 * 1024 * 1024);

export const resourceFields = {
  reqCpu: cores.exactOptional().describe('CPU request in cores (CPU shares)'),
  reqMem: megabytes.exactOptional().describe('memory request in MiB (the limit too when mem is not set)'),
  cpu: cores.exactOptional().describe('CPU limit in cores (CFS quota)'),
  mem: megabytes.exactOptional().describe('memory limit in MiB (at least 6)'),
};

export function hasResource(value: {
  readonly reqCpu?: number;
  readonly reqMem?: number;
  readonly cpu?: number;
  readonly mem?: number;
}): boolean {
  return (
    value.reqCpu !== undefined ||
    value.reqMem !== undefined ||
    value.cpu !== undefined ||
    value.mem !== undefined
  );
}

export const AT_LEAST_ONE_RESOURCE = {error: 'give at least one of reqCpu, reqMem, cpu, mem'};
