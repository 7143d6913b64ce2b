/**
Cold start of the bundled binary: `bcs-executor --version` and `--help`, beside the floor (`node -e ''`, the
cost of starting Node at all) and the docker CLI's `docker --version`, in the same run. Target: `--version`
under 150 ms.
*/
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {formatMs, median, printTable, quantile, ratio, timeRuns, verdict} from './stats.js';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/bcs-executor.mjs', import.meta.url));

export async function benchCli(runs = 30): Promise<void> {
  if (!existsSync(binary)) throw new Error(`build first: ${binary} is missing (npm run build)`);
  const subjects: [string, string, string[]][] = [
    ['node -e "" (floor)', process.execPath, ['-e', '']],
    ['bcs-executor --version', process.execPath, [binary, '--version']],
    ['bcs-executor --help', process.execPath, [binary, '--help']],
    ['docker --version (CLI)', 'docker', ['--version']],
  ];
  const results: [string, number[]][] = [];
  for (const [name, file, args] of subjects) {
    try {
      results.push([
        name,
        await timeRuns(runs, 3, async () => {
          await run(file, args);
        }),
      ]);
    } catch (error) {
      process.stdout.write(`(skipping ${name}: ${String(error)})\n`);
    }
  }
  const floor = median(results[0]?.[1] ?? []);
  printTable(
    `Cold start (${runs} runs each)`,
    ['command', 'median', 'p95', 'vs floor'],
    results.map(([name, times]) => [
      name,
      formatMs(median(times)),
      formatMs(quantile(times, 0.95)),
      ratio(median(times), floor),
    ]),
  );
  const version = median(results.find(([name]) => name === 'bcs-executor --version')?.[1] ?? []);
  process.stdout.write(`\ntarget: --version under 150 ms: ${formatMs(version)} ${verdict(version < 150)}\n`);
}
