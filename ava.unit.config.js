// Fast suite: unit tests and the runtime contract against the in-memory fake. No Docker.
export default {
  files: ['test/unit/**/*.test.{ts,tsx}', 'test/contract/fake-runtime.test.ts'],
  extensions: {ts: 'module', tsx: 'module'},
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '60s',
};
