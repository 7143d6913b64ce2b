// Slow suite: the real dockerd, real CNI plugins, the real binary over pipes and in tmux.
export default {
  files: [
    'test/contract/docker-runtime.test.ts',
    'test/integration/**/*.test.{ts,tsx}',
    'test/e2e/**/*.test.{ts,tsx}',
  ],
  extensions: {ts: 'module', tsx: 'module'},
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  concurrency: 2,
  timeout: '180s',
};
