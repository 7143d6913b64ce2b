/**
Fake CNI plugins for unit tests: a small sh script, installed under any plugin type name in a temp dir,
that records each call (CNI_* env and stdin) and answers with whatever the test set for that type and
command (stdout, stderr, exit code, a delay).
*/
import {chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';

const SCRIPT = `#!/bin/sh
here=$(dirname "$0")
name=$(basename "$0")
rec="$here/.calls"
mkdir -p "$rec"
seq=$(printf '%04d' "$(ls "$rec" | grep -c '\\.stdin$')")
{ echo "TYPE=$name"; env | grep '^CNI_'; } > "$rec/$seq.env"
cat > "$rec/$seq.stdin.part"
mv "$rec/$seq.stdin.part" "$rec/$seq.stdin"
b="$here/.behaviour/$name.$CNI_COMMAND"
[ -f "$b.sleep" ] && sleep "$(cat "$b.sleep")"
[ -f "$b.background" ] && sleep "$(cat "$b.background")" &
[ -f "$b.stdout" ] && cat "$b.stdout"
[ -f "$b.stderr" ] && cat "$b.stderr" >&2
exit "$(cat "$b.rc" 2>/dev/null || echo 0)"
`;

/** What a fake plugin does for one command. */
export interface FakeBehaviour {
  /** Printed on stdout; objects as JSON. */
  readonly stdout?: string | Record<string, unknown>;
  readonly stderr?: string;
  readonly exitCode?: number;
  /** Seconds to sleep before answering. */
  readonly sleepSeconds?: number;
  /** Leaves a background child of this many seconds holding stdout, then exits. */
  readonly backgroundSeconds?: number;
}

/** One recorded plugin call. */
export interface FakeCall {
  readonly type: string;
  readonly command: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: Record<string, unknown>;
}

export class FakeCniPlugins {
  private constructor(
    /** The plugin dir to search. */
    readonly dir: string,
    /** A conf dir next to it, for network configs. */
    readonly confDir: string,
  ) {}

  /** Makes a plugin dir and a conf dir under a temp dir that the test's teardown removes. */
  static async create(t: ExecutionContext): Promise<FakeCniPlugins> {
    const root = await mkdtemp(join(tmpdir(), 'bcs-cni-unit-'));
    t.teardown(() => rm(root, {recursive: true, force: true}));
    const dir = join(root, 'bin');
    const confDir = join(root, 'net.d');
    await mkdir(join(dir, '.behaviour'), {recursive: true});
    await mkdir(confDir);
    return new FakeCniPlugins(dir, confDir);
  }

  /** Installs a fake plugin named `type` with a behaviour per command (absent: print nothing, exit 0). */
  async install(
    type: string,
    behaviours: Partial<Record<'ADD' | 'DEL', FakeBehaviour>> = {},
  ): Promise<string> {
    const path = join(this.dir, type);
    await writeFile(path, SCRIPT);
    await chmod(path, 0o755);
    for (const [command, behaviour] of Object.entries(behaviours))
      await this.behave(type, command, behaviour);
    return path;
  }

  /** Sets what `type` does on `command`. */
  async behave(type: string, command: string, behaviour: FakeBehaviour): Promise<void> {
    const base = join(this.dir, '.behaviour', `${type}.${command}`);
    for (const suffix of ['stdout', 'stderr', 'rc', 'sleep', 'background']) {
      await rm(`${base}.${suffix}`, {force: true});
    }
    if (behaviour.stdout !== undefined) {
      const text = typeof behaviour.stdout === 'string' ? behaviour.stdout : JSON.stringify(behaviour.stdout);
      await writeFile(`${base}.stdout`, text);
    }
    if (behaviour.stderr !== undefined) await writeFile(`${base}.stderr`, behaviour.stderr);
    if (behaviour.exitCode !== undefined) await writeFile(`${base}.rc`, String(behaviour.exitCode));
    if (behaviour.sleepSeconds !== undefined)
      await writeFile(`${base}.sleep`, String(behaviour.sleepSeconds));
    if (behaviour.backgroundSeconds !== undefined) {
      await writeFile(`${base}.background`, String(behaviour.backgroundSeconds));
    }
  }

  /** Writes a network config file into the conf dir. */
  async writeConf(fileName: string, content: string | Record<string, unknown>): Promise<string> {
    const path = join(this.confDir, fileName);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  /** Every call so far, in order. */
  async calls(): Promise<FakeCall[]> {
    const rec = join(this.dir, '.calls');
    const names = await readdir(rec).catch(() => []);
    const calls: FakeCall[] = [];
    for (const name of names.filter((n) => n.endsWith('.stdin')).sort()) {
      const seq = name.slice(0, -'.stdin'.length);
      const env: Record<string, string> = {};
      for (const line of (await readFile(join(rec, `${seq}.env`), 'utf8')).split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
      }
      const stdinText = await readFile(join(rec, name), 'utf8');
      calls.push({
        type: env.TYPE ?? '',
        command: env.CNI_COMMAND ?? '',
        env,
        stdin: JSON.parse(stdinText) as Record<string, unknown>,
      });
    }
    return calls;
  }
}
