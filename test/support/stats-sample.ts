/** Stats samples for tests: every counter zero but the fields given. */
import type {StatsSample} from '../../src/runtime/port.js';
import {ZERO_TIME} from './fake-runtime-util.js';

export function zeroStatsSample(fields: Partial<StatsSample> = {}): StatsSample {
  return {
    read: ZERO_TIME,
    cpuTotalUsage: 0,
    systemCpuUsage: 0,
    onlineCpus: 0,
    precpuTotalUsage: 0,
    presystemCpuUsage: 0,
    memoryUsage: 0,
    memoryCache: 0,
    memoryLimit: 0,
    networkRxBytes: 0,
    networkTxBytes: 0,
    blockReadBytes: 0,
    blockWriteBytes: 0,
    pids: 0,
    ...fields,
  };
}
