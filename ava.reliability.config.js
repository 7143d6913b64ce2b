// Reliability suite: hostile input and load against the real binary and dockerd (test/reliability/**). The
// files run one at a time: they measure latency and memory, which a neighbour's load would distort.
export default {
  files: ['test/reliability/**/*.test.ts'],
  extensions: {ts: 'module'},
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  concurrency: 1,
  timeout: '300s',
};
