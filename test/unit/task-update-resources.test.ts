import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import type {ResourceUpdate} from '../../src/runtime/port.js';
import type {Resource, TaskResources} from '../../src/task/types.js';
import {resourceToUpdate, taskResourcesToUpdate} from '../../src/task/update-resources.js';
import {validateTaskResources} from '../../src/task/validate.js';

const MIB = 1024 * 1024;

const taskRows: readonly (readonly [string, TaskResources, ResourceUpdate])[] = [
  [
    'every field',
    {taskId: 't1', reqCpu: 0.5, reqMem: 64, cpu: 1.5, mem: 128},
    {cpuShares: 512, cpuPeriod: 100_000, cpuQuota: 150_000, memory: 128 * MIB, memorySwap: 128 * MIB},
  ],
  ['only the request CPU', {reqCpu: 2.25}, {cpuShares: 2304}],
  ['only the CPU limit', {cpu: 0.01}, {cpuPeriod: 100_000, cpuQuota: 1000}],
  ['only memory: Memory = MemorySwap', {mem: 6}, {memory: 6 * MIB, memorySwap: 6 * MIB}],
  ['CPU 0 leaves shares and quota unchanged', {reqCpu: 0, cpu: 0}, {}],
  ['reqMem alone has no Docker field', {reqMem: 64}, {}],
];

for (const [title, input, expected] of taskRows) {
  test(`taskResourcesToUpdate: ${title}`, (t) => {
    t.deepEqual(taskResourcesToUpdate(input), expected);
  });
}

test('taskResourcesToUpdate validates first and lists every problem', (t) => {
  const error = t.throws(() => taskResourcesToUpdate({reqCpu: -1, cpu: 0.005, reqMem: 4, mem: 0}));
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'VALIDATION');
  t.deepEqual(
    (error.details.issues as {path: string}[]).map((issue) => issue.path),
    ['reqCpu', 'cpu', 'reqMem', 'mem'],
  );
});

const issueRows: readonly (readonly [string, TaskResources, readonly (readonly [string, RegExp])[]])[] = [
  ['nothing given', {taskId: 't1'}, [['', /nothing to update/]]],
  ['negative reqCpu', {reqCpu: -0.5}, [['reqCpu', /-0.5 is not a finite number >= 0/]]],
  ['infinite cpu', {cpu: Infinity}, [['cpu', /not a finite number/]]],
  ['cpu under the minimum quota', {cpu: 0.005}, [['cpu', /CPU quota of 500 µs/]]],
  [
    'reqMem under 6 MB (the seed allowed 4)',
    {reqMem: 4},
    [['reqMem', /4 MB is under Docker's minimum of 6 MB/]],
  ],
  ['mem 0 when given', {mem: 0}, [['mem', /0 MB is under Docker's minimum/]]],
  ['negative mem', {mem: -1}, [['mem', /-1 is not a finite number/]]],
];

for (const [title, input, expected] of issueRows) {
  test(`validateTaskResources: ${title}`, (t) => {
    const issues = validateTaskResources(input, '');
    t.deepEqual(
      issues.map((issue) => issue.path),
      expected.map(([path]) => path),
    );
    expected.forEach(([, message], index) => t.regex(issues[index]?.message ?? '', message));
  });
}

test('validateTaskResources puts paths under the given prefix', (t) => {
  t.deepEqual(
    validateTaskResources({mem: 4}, 'params.resources').map((issue) => issue.path),
    ['params.resources.mem'],
  );
});

const variantRows: readonly (readonly [string, Resource, ResourceUpdate])[] = [
  ['cpus and mem', {cpus: 0.5, mem: 64}, {cpuShares: 512, memory: 64 * MIB, memorySwap: 64 * MIB}],
  ['cpus only (mem 0 leaves memory as it is)', {cpus: 2.25, mem: 0}, {cpuShares: 2304}],
  ['mem only', {cpus: 0, mem: 128}, {memory: 128 * MIB, memorySwap: 128 * MIB}],
];

for (const [title, input, expected] of variantRows) {
  test(`resourceToUpdate: ${title}`, (t) => {
    t.deepEqual(resourceToUpdate(input), expected);
  });
}

test('resourceToUpdate rejects what the seed let through to Docker, and an update of nothing', (t) => {
  for (const [input, pattern] of [
    [{cpus: -1, mem: 64}, /cpus: -1 is not a finite number/],
    [{cpus: 1, mem: 4}, /mem: 4 MB is under Docker's minimum of 6 MB/],
    [{cpus: 0, mem: 0}, /\(root\): nothing to update/],
  ] as const) {
    const error = t.throws(() => resourceToUpdate(input));
    t.true(isEngineError(error) && error.code === 'VALIDATION');
    t.regex(error?.message ?? '', pattern);
  }
});
