/**
`npm run bench -- <name...>`: runs the named benchmarks (all when none is named). Each prints its table with
ratios against the floor and peers measured in the same run.
*/
import {benchCli} from './cli.js';
import {benchPod} from './pod.js';
import {benchContainer} from './container.js';
import {benchRpc} from './rpc.js';
import {benchTui} from './tui.js';

type Bench = () => Promise<void>;

const BENCHES: Record<string, Bench> = {
  cli: () => benchCli(),
  pod: () => benchPod(),
  container: () => benchContainer(),
  rpc: () => benchRpc(),
  tui: () => benchTui(),
};

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const names = wanted.length === 0 ? Object.keys(BENCHES) : wanted;
for (const name of names) {
  const bench = BENCHES[name];
  if (bench === undefined) {
    process.stderr.write(`unknown bench "${name}"; known: ${Object.keys(BENCHES).join(', ')}\n`);
    process.exitCode = 2;
    continue;
  }
  process.stdout.write(`\n=== bench: ${name}\n`);
  await bench();
}
