/**
Exec in the fake runtime: create/start/inspect as Docker does them (409 when the container is not running,
`exec_create`/`exec_start`/`exec_die` events), output from a test's program or the shell interpreter.
*/
import {PassThrough, Writable} from 'node:stream';
import type {ExecCreateSpec, ExecDetails, ExecSession, ExecStartOptions} from '../../src/runtime/port.js';
import {play, stepsOf, type FakeProcess} from './fake-runtime-process.js';
import {interpret} from './fake-runtime-shell.js';
import type {FakeContainer, FakeState} from './fake-runtime-state.js';
import {conflict, hexId, notFound} from './fake-runtime-util.js';

interface FakeExec {
  readonly id: string;
  readonly container: FakeContainer;
  readonly spec: ExecCreateSpec;
  started: boolean;
  running: boolean;
  exitCode: number | null;
  pid: number;
  process: FakeProcess | undefined;
  /** Ends the session's streams when the process ends or the container stops. */
  finish: ((code: number) => void) | undefined;
}

export class FakeExecs {
  readonly #state: FakeState;
  readonly #execs = new Map<string, FakeExec>();
  #sequence = 0;

  constructor(state: FakeState) {
    this.#state = state;
  }

  create(container: FakeContainer, spec: ExecCreateSpec): string {
    if (container.status === 'paused') {
      throw conflict(
        'INVALID_STATE',
        'container',
        container.id,
        `Container ${container.name} is paused, unpause the container before exec`,
      );
    }
    if (container.status !== 'running') {
      throw conflict('INVALID_STATE', 'container', container.id, `Container ${container.id} is not running`);
    }
    const id = hexId(`fake-exec-${this.#sequence++}`);
    this.#execs.set(id, {
      id,
      container,
      spec,
      started: false,
      running: false,
      exitCode: null,
      pid: 0,
      process: undefined,
      finish: undefined,
    });
    this.#state.emitContainer(`exec_create: ${spec.cmd.join(' ')}`, container, {execID: id});
    return id;
  }

  get(id: string): FakeExec {
    const exec = this.#execs.get(id);
    if (exec === undefined) throw notFound('exec', id);
    return exec;
  }

  inspect(id: string): ExecDetails {
    const exec = this.get(id);
    return {
      id,
      running: exec.running,
      exitCode: exec.exitCode,
      pid: exec.pid,
      containerId: exec.container.id,
    };
  }

  start(id: string, options: ExecStartOptions): ExecSession {
    const exec = this.get(id);
    if (exec.started)
      throw conflict('INVALID_STATE', 'exec', id, `Exec instance ${id} has already been started`);
    const {container} = exec;
    if (container.status !== 'running') {
      throw conflict('INVALID_STATE', 'container', container.id, `Container ${container.id} is not running`);
    }
    exec.started = true;
    exec.running = true;
    exec.pid = this.#state.nextPid();
    const tty = options.tty ?? exec.spec.tty ?? false;
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    if (tty) stderr.end();
    let resolveEnded: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => {
      resolveEnded = resolve;
    });
    const closeStreams = () => {
      if (!stdout.writableEnded) stdout.end();
      if (!stderr.writableEnded) stderr.end();
      resolveEnded();
    };
    exec.finish = (code) => {
      exec.process?.cancel();
      exec.running = false;
      exec.exitCode = code;
      exec.finish = undefined;
      container.watchers.delete(onContainerChange);
      this.#state.emitContainer('exec_die', container, {execID: id, exitCode: String(code)});
      closeStreams();
    };
    // Docker kills every process of a container that stops; its execs end with SIGKILL's code.
    const onContainerChange = () => {
      if (container.status !== 'running' && container.status !== 'paused') exec.finish?.(137);
    };
    container.watchers.add(onContainerChange);
    this.#state.emitContainer(`exec_start: ${exec.spec.cmd.join(' ')}`, container, {execID: id});

    const launch = (stdin: Buffer | undefined) => {
      if (!exec.running) return;
      const context = stdin === undefined ? {containerId: container.id} : {containerId: container.id, stdin};
      const scripted = this.#state.execPrograms
        .map((program) => program(exec.spec.cmd, context))
        .find(Boolean);
      const steps =
        scripted !== undefined
          ? stepsOf(scripted)
          : interpret(
              exec.spec.cmd,
              {
                env: [...container.image.config.env, ...(container.spec.env ?? []), ...(exec.spec.env ?? [])],
                workingDir:
                  exec.spec.workingDir ?? container.spec.workingDir ?? container.image.config.workingDir,
                ...(stdin === undefined ? {} : {stdin}),
                readFile: (path) => container.fs.read(path),
                writeFile: (path, data, append) =>
                  container.fs.write(path, data, append, new Date(this.#state.now())),
              },
              'exec',
            );
      exec.process = play(steps, {
        write: (stream, data) => {
          const target = tty || stream === 'stdout' ? stdout : stderr;
          if (!target.writableEnded) target.write(tty ? data.replace(/\r?\n/g, '\r\n') : data);
        },
        exit: (code) => exec.finish?.(code),
      });
    };

    let stdinStream: Writable | null = null;
    if (options.stdin === true) {
      // The process reads its whole stdin first (enough for `cat` and friends); it runs at EOF.
      const chunks: Buffer[] = [];
      stdinStream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
        final(callback) {
          launch(Buffer.concat(chunks));
          callback();
        },
      });
    } else {
      launch(undefined);
    }
    const abort = () => closeStreams();
    options.signal?.addEventListener('abort', abort, {once: true});
    void ended.then(() => options.signal?.removeEventListener('abort', abort));
    return {id, stdout, stderr, stdin: stdinStream, ended, close: closeStreams};
  }
}
