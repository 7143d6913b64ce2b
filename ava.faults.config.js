// Fault suite (scripts/test-faults): a private dockerd that the tests stop and restart, the real binary over
// pipes and in tmux, SIGKILLs in the middle of pod.create. One file at a time and one test at a time: they share
// the private daemon, and a daemon restart would fail anything running beside it.
export default {
  files: ['test/faults/**/*.test.ts'],
  extensions: {ts: 'module'},
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  concurrency: 1,
  serial: true,
  timeout: '300s',
};
