/** Contract: exec (exit code, demultiplexed output, stdin, states) and files (put, get, stat). */
import test from 'ava';
import {
  collect,
  deadline,
  execFinished,
  newCase,
  rejectsWith,
  spec,
  startSleeper,
  tarOf,
  untar,
  type MakeSubject,
} from './contract-helpers.js';

export function execFilesContract(name: string, subject: MakeSubject): void {
  test(`${name}: exec gives the exit code and demultiplexed output`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    const execId = await s.runtime.createExec(id, {
      cmd: ['sh', '-c', 'echo out1; echo err1 >&2; echo out2; exit 7'],
    });
    t.truthy(execId);
    const session = await s.runtime.startExec(execId);
    t.is(session.id, execId);
    t.is(session.stdin, null);
    const [stdout, stderr] = await Promise.all([
      collect(session.stdout),
      collect(session.stderr),
      session.ended,
    ]);
    t.is(stdout, 'out1\nout2\n');
    t.is(stderr, 'err1\n');
    const details = await execFinished(s.runtime, execId);
    t.is(details.exitCode, 7);
    t.is(details.containerId, id);
    t.false(details.running);
  });

  test(`${name}: exec honours env and working directory`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    const execId = await s.runtime.createExec(id, {
      cmd: ['sh', '-c', 'echo "$GREETING"; pwd'],
      env: ['GREETING=hello'],
      workingDir: '/tmp',
    });
    const session = await s.runtime.startExec(execId);
    const [stdout] = await Promise.all([collect(session.stdout), collect(session.stderr)]);
    t.is(stdout, 'hello\n/tmp\n');
    t.is((await execFinished(s.runtime, execId)).exitCode, 0);
  });

  test(`${name}: exec with stdin passes it to the process, which sees EOF when stdin ends`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    const execId = await s.runtime.createExec(id, {cmd: ['cat'], attachStdin: true});
    const session = await s.runtime.startExec(execId, {stdin: true});
    t.not(session.stdin, null);
    const output = Promise.all([collect(session.stdout), collect(session.stderr)]);
    session.stdin?.end('piped through\n');
    const [stdout] = await output;
    t.is(stdout, 'piped through\n');
    t.is((await execFinished(s.runtime, execId)).exitCode, 0);
  });

  test(`${name}: exec in a stopped container is INVALID_STATE; inspect of an unknown exec NOT_FOUND`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id} = await s.runtime.createContainer(spec(s.imageRef, c.labels, ['sleep', '300']));
    await rejectsWith(t, s.runtime.createExec(id, {cmd: ['true']}), 'INVALID_STATE');
    const error = await rejectsWith(t, s.runtime.inspectExec(c.name('no-such-exec')), 'NOT_FOUND');
    t.is(error.details['resource'], 'exec');
  });

  test(`${name}: putArchive then statPath and getArchive give the file back`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id} = await s.runtime.createContainer(spec(s.imageRef, c.labels, ['sleep', '300']));
    const content = 'x=1\nname=contract\n';
    await s.runtime.putArchive(id, '/tmp', await tarOf('app.conf', content, 0o640));

    const stat = await s.runtime.statPath(id, '/tmp/app.conf');
    t.is(stat.name, 'app.conf');
    t.is(stat.size, Buffer.byteLength(content));
    t.is(stat.mode & 0o777, 0o640);
    t.is(stat.linkTarget, '');
    const dir = await s.runtime.statPath(id, '/tmp');
    t.true((dir.mode & (2 ** 31)) !== 0, 'a directory carries the directory bit');

    const files = await untar(await s.runtime.getArchive(id, '/tmp/app.conf', {signal: deadline()}));
    t.deepEqual([...files], [['app.conf', content]]);

    // Readable from inside the running container too.
    await s.runtime.startContainer(id);
    const execId = await s.runtime.createExec(id, {cmd: ['cat', '/tmp/app.conf']});
    const session = await s.runtime.startExec(execId);
    const [stdout] = await Promise.all([collect(session.stdout), collect(session.stderr)]);
    t.is(stdout, content);
  });

  test(`${name}: files into a missing directory, or a missing path, are NOT_FOUND`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id} = await s.runtime.createContainer(spec(s.imageRef, c.labels, ['sleep', '300']));
    const put = await rejectsWith(
      t,
      s.runtime.putArchive(id, '/no/such/dir', await tarOf('f', 'x')),
      'NOT_FOUND',
    );
    t.is(put.details['resource'], 'path');
    await rejectsWith(t, s.runtime.statPath(id, '/no/such/file'), 'NOT_FOUND');
    await rejectsWith(t, s.runtime.getArchive(id, '/no/such/file'), 'NOT_FOUND');
  });
}
