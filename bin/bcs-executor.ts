/**
Composition root: parses argv, picks a face (TUI, rpc, mcp or a headless command) and runs it.
Faces are imported lazily so `--version`, `rpc` and the headless commands never load Ink.
*/
import {parseArgs, UsageError} from './argv.js';
import {CNI_FLAGS, readCniFlags} from './cni-flags.js';
import {COMMANDS, EXIT} from './commands/table.js';
import {programVersion} from './version.js';

const GLOBAL_VALUE_FLAGS = ['host', ...CNI_FLAGS];

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length), 10);
  const rows = COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return [
    `bcs-executor ${programVersion()}: run pods (an infra container plus app containers sharing its network) on Docker.`,
    '',
    'Usage: bcs-executor [command] [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'Global options:',
    '  --host URL            Docker endpoint (unix:///var/run/docker.sock, tcp://host:2375); default DOCKER_HOST or the local socket',
    '  --cni-conf-dir DIR    CNI network configurations for `network.driver: cni` pods; default BCS_CNI_CONF_DIR or /etc/cni/net.d',
    '  --cni-plugin-dir DIR  where CNI plugins are searched (repeatable); default CNI_PATH or /usr/lib/cni:/opt/cni/bin',
    '  --version, -v         print the version',
    "  --help, -h            print this help (or a command's help with `bcs-executor COMMAND --help`)",
    '',
    'Exit codes: 0 ok, 1 the operation failed, 2 bad usage or invalid spec.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const first = argv[0];
  if (first === '--version' || first === '-v' || first === 'version') {
    process.stdout.write(`${programVersion()}\n`);
    return EXIT.ok;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(`${helpText()}\n`);
    return EXIT.ok;
  }
  const named = first !== undefined && !first.startsWith('-') ? first : undefined;
  const command = COMMANDS.find((c) => c.name === (named ?? 'tui'));
  if (command === undefined) {
    process.stderr.write(`bcs-executor: unknown command "${named ?? ''}"\n\n${helpText()}\n`);
    return EXIT.usage;
  }
  const rest = named === undefined ? argv : argv.slice(1);
  try {
    const args = parseArgs(rest, new Set([...GLOBAL_VALUE_FLAGS, ...command.valueFlags]));
    if (args.flags.has('help')) {
      process.stdout.write(`Usage: bcs-executor ${command.usage}\n\n${command.summary}\n`);
      return EXIT.ok;
    }
    const hostFlag = args.flags.get('host');
    const host = typeof hostFlag === 'string' ? hostFlag : process.env.DOCKER_HOST || undefined;
    const cni = readCniFlags(args);
    // Global flags are read here; each command checks only its own.
    for (const flag of CNI_FLAGS) {
      args.flags.delete(flag);
      args.repeated.delete(flag);
    }
    const module = await command.load();
    return await module.run({args, host, cni, stdout: process.stdout, stderr: process.stderr});
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(
        `bcs-executor ${command.name}: ${error.message}\nUsage: bcs-executor ${command.usage}\n`,
      );
      return EXIT.usage;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bcs-executor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.failed;
  },
);
