/**
The node flags `bcs-executor` runs with: in its shebang (scripts/build.mjs writes them there), and passed by
whoever spawns `node dist/bcs-executor.mjs` instead (the typed client, the tests, the benchmarks).

`--max-semi-space-size=1` keeps V8's young generation at 1 MiB per semi-space instead of letting it grow to
16: a long-lived server under a burst of messages otherwise gains tens of megabytes of RSS it never needed. With
the server's memory relief (rpc/framing/memory-relief.ts) the fuzz of test/reliability/fuzz-protocol.test.ts
peaks at +2 to +15 MiB over its warm-up (+25 to +46 with neither), at the same throughput, and following logs at
16 MB/s at +31 MiB. Scavenges of a small young generation are short, which also suits the TUI.
*/
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
