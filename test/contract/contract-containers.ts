/**
Contract: container lifecycle, the 304 → changed:false rule, conflicts, missing objects, list filters,
update, wait, kill, pause, restart and top.
*/
import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {deadline, newCase, rejectsWith, spec, startSleeper, type MakeSubject} from './contract-helpers.js';

export function containerContract(name: string, subject: MakeSubject): void {
  test(`${name}: create, start, inspect, stop, remove round trip`, async (t) => {
    const s = await subject();
    const c = newCase();
    const containerName = c.name('round-trip');
    const {id} = await s.runtime.createContainer(
      spec(s.imageRef, c.labels, ['sleep', '300'], {name: containerName, env: ['A=1', 'B=2']}),
    );
    t.regex(id, /^[0-9a-f]{64}$/);

    const created = await s.runtime.inspectContainer(id);
    t.is(created.id, id);
    t.is(created.name, containerName);
    t.is(created.state.status, 'created');
    t.false(created.state.running);
    t.is(created.image, s.imageRef);
    t.like(created.labels, c.labels);
    t.true(created.config.env.includes('A=1') && created.config.env.includes('B=2'));
    t.deepEqual(created.config.cmd, ['sleep', '300']);
    t.is(created.host.init, true);

    t.deepEqual(await s.runtime.startContainer(id), {changed: true});
    const running = await s.runtime.inspectContainer(containerName);
    t.is(running.id, id, 'inspect by name');
    t.is(running.state.status, 'running');
    t.true(running.state.running);
    t.true(running.state.pid > 0);
    t.not(running.state.startedAt, '0001-01-01T00:00:00Z');

    t.deepEqual(await s.runtime.stopContainer(id, {timeoutSeconds: 5}), {changed: true});
    const stopped = await s.runtime.inspectContainer(id);
    t.is(stopped.state.status, 'exited');
    t.false(stopped.state.running);
    t.is(stopped.state.pid, 0);

    t.deepEqual(await s.runtime.removeContainer(id), {changed: true});
    const gone = await rejectsWith(t, s.runtime.inspectContainer(id), 'NOT_FOUND');
    t.is(gone.details['resource'], 'container');
    t.is(gone.details['ref'], id);
  });

  test(`${name}: start of a running and stop of an exited container answer changed:false`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    t.deepEqual(await s.runtime.startContainer(id), {changed: false});
    t.deepEqual(await s.runtime.stopContainer(id, {timeoutSeconds: 5}), {changed: true});
    t.deepEqual(await s.runtime.stopContainer(id, {timeoutSeconds: 5}), {changed: false});
  });

  test(`${name}: stop of a created (never started) container answers changed:false`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id} = await s.runtime.createContainer(spec(s.imageRef, c.labels, ['sleep', '300']));
    t.deepEqual(await s.runtime.stopContainer(id), {changed: false});
  });

  test(`${name}: remove of a missing container answers changed:false`, async (t) => {
    const s = await subject();
    const c = newCase();
    t.deepEqual(await s.runtime.removeContainer(c.name('never-created')), {changed: false});
    const {id} = await s.runtime.createContainer(spec(s.imageRef, c.labels, ['true']));
    t.deepEqual(await s.runtime.removeContainer(id), {changed: true});
    t.deepEqual(await s.runtime.removeContainer(id), {changed: false});
  });

  test(`${name}: removing a running container needs force`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    await rejectsWith(t, s.runtime.removeContainer(id), 'INVALID_STATE');
    t.deepEqual(await s.runtime.removeContainer(id, {force: true}), {changed: true});
  });

  test(`${name}: a duplicate name is ALREADY_EXISTS`, async (t) => {
    const s = await subject();
    const c = newCase();
    const containerName = c.name('dup');
    await s.runtime.createContainer(spec(s.imageRef, c.labels, ['true'], {name: containerName}));
    await rejectsWith(
      t,
      s.runtime.createContainer(spec(s.imageRef, c.labels, ['true'], {name: containerName})),
      'ALREADY_EXISTS',
    );
  });

  test(`${name}: create from an absent image is NOT_FOUND naming the image`, async (t) => {
    const s = await subject();
    const c = newCase();
    const error = await rejectsWith(
      t,
      s.runtime.createContainer(spec('bcs-executor-test/absent:never', c.labels, ['true'])),
      'NOT_FOUND',
    );
    t.is(error.details['resource'], 'image');
    t.is(error.details['ref'], 'bcs-executor-test/absent:never');
  });

  test(`${name}: inspect, start, stop, kill, wait and logs of a missing id are NOT_FOUND`, async (t) => {
    const s = await subject();
    const missing = newCase().name('missing');
    for (const work of [
      s.runtime.inspectContainer(missing),
      s.runtime.startContainer(missing),
      s.runtime.stopContainer(missing),
      s.runtime.killContainer(missing),
      s.runtime.waitContainer(missing),
      s.runtime.updateContainer(missing, {cpuShares: 512}),
    ]) {
      const error = await rejectsWith(t, work, 'NOT_FOUND');
      t.is(error.details['resource'], 'container');
    }
  });

  test(`${name}: kill of a created or exited container is INVALID_STATE`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id} = await s.runtime.createContainer(spec(s.imageRef, c.labels, ['sleep', '300']));
    await rejectsWith(t, s.runtime.killContainer(id), 'INVALID_STATE');
    await s.runtime.startContainer(id);
    await s.runtime.killContainer(id);
    await s.runtime.waitContainer(id, 'not-running', {signal: deadline()});
    await rejectsWith(t, s.runtime.killContainer(id, 'SIGTERM'), 'INVALID_STATE');
  });

  test(`${name}: kill honours its signal (SIGTERM under init exits 143, default SIGKILL 137)`, async (t) => {
    const s = await subject();
    const c = newCase();
    const term = await startSleeper(s, c.labels);
    // A start answers before the init has set its handlers (podman's catatonit): a PID 1 drops a signal it has
    // no handler for, so the SIGTERM is sent again each second until the container stops.
    let exit: {exitCode: number} | undefined;
    for (let attempt = 0; attempt < 30 && exit === undefined; attempt++) {
      await s.runtime.killContainer(term, 'SIGTERM').catch((error: unknown) => {
        // Stopped since the last look (not running any more): the wait below reads its exit.
        if (attempt === 0 || !isEngineError(error) || error.code !== 'INVALID_STATE') throw error;
      });
      exit = await s.runtime
        .waitContainer(term, 'not-running', {signal: AbortSignal.timeout(1000)})
        .catch((error: unknown) => {
          if (isEngineError(error) && error.code === 'CANCELLED') return undefined;
          throw error;
        });
    }
    t.is(exit?.exitCode, 143);
    const kill = await startSleeper(s, c.labels);
    await s.runtime.killContainer(kill);
    t.is((await s.runtime.waitContainer(kill, 'not-running', {signal: deadline()})).exitCode, 137);
  });

  test(`${name}: wait gives the exit code`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id} = await s.runtime.createContainer(spec(s.imageRef, c.labels, ['sh', '-c', 'exit 5']));
    await s.runtime.startContainer(id);
    t.deepEqual(await s.runtime.waitContainer(id, 'not-running', {signal: deadline()}), {exitCode: 5});
    const details = await s.runtime.inspectContainer(id);
    t.is(details.state.status, 'exited');
    t.is(details.state.exitCode, 5);
  });

  test(`${name}: wait is cancelled by its signal`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    await rejectsWith(
      t,
      s.runtime.waitContainer(id, 'not-running', {signal: AbortSignal.timeout(200)}),
      'CANCELLED',
    );
  });

  test(`${name}: list filters by label (ANDed), includes stopped ones, and matches names exactly`, async (t) => {
    const s = await subject();
    const c = newCase();
    const webName = c.name('web');
    const {id: web} = await s.runtime.createContainer(
      spec(s.imageRef, {...c.labels, role: 'web'}, ['true'], {name: webName}),
    );
    const {id: db} = await s.runtime.createContainer(
      spec(s.imageRef, {...c.labels, role: 'db'}, ['true'], {name: `${webName}-db`}),
    );
    const all = await s.runtime.listContainers({labels: [c.filter]});
    t.deepEqual(all.map((x) => x.id).sort(), [web, db].sort());
    const webOnly = await s.runtime.listContainers({labels: [c.filter, 'role=web']});
    t.deepEqual(
      webOnly.map((x) => x.id),
      [web],
    );
    t.is(webOnly[0]?.name, webName);
    t.is(webOnly[0]?.status, 'created');
    t.like(webOnly[0]?.labels, {role: 'web'});
    const byKey = await s.runtime.listContainers({labels: [c.filter, 'role']});
    t.is(byKey.length, 2);
    const byName = await s.runtime.listContainers({names: [webName], labels: [c.filter]});
    t.deepEqual(
      byName.map((x) => x.id),
      [web],
      'a name filter is exact, not a substring',
    );
    const runningOnly = await s.runtime.listContainers({labels: [c.filter], all: false});
    t.deepEqual(runningOnly, []);
  });

  test(`${name}: update of memory is visible in inspect`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    const memory = 64 * 1024 * 1024;
    await s.runtime.updateContainer(id, {memory, memorySwap: memory, cpuShares: 512});
    if ((await s.runtime.version()).flavor === 'podman') {
      // Podman 4.3 applies the limits to the cgroup but does not record them, so inspect still shows the
      // create-time values (podman 5 records them); the limit is visible where the kernel enforces it.
      t.is((await s.runtime.stats(id, {signal: deadline()})).memoryLimit, memory);
      return;
    }
    const details = await s.runtime.inspectContainer(id);
    t.is(details.host.memory, memory);
    t.is(details.host.memorySwap, memory);
    t.is(details.host.cpuShares, 512);
  });

  test(`${name}: a member cannot start while its network-mode container is not running`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id: infra} = await s.runtime.createContainer(spec(s.imageRef, c.labels, ['sleep', '300']));
    const {id: member} = await s.runtime.createContainer(
      spec(s.imageRef, c.labels, ['sleep', '300'], {host: {networkMode: `container:${infra}`}}),
    );
    await rejectsWith(t, s.runtime.startContainer(member), 'INVALID_STATE');
    await s.runtime.startContainer(infra);
    t.deepEqual(await s.runtime.startContainer(member), {changed: true});
    t.is((await s.runtime.inspectContainer(member)).host.networkMode, `container:${infra}`);
  });

  test(`${name}: pause and unpause`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    await s.runtime.pauseContainer(id);
    const paused = await s.runtime.inspectContainer(id);
    t.is(paused.state.status, 'paused');
    t.true(paused.state.paused);
    await rejectsWith(t, s.runtime.pauseContainer(id), 'INVALID_STATE');
    await s.runtime.unpauseContainer(id);
    t.is((await s.runtime.inspectContainer(id)).state.status, 'running');
  });

  test(`${name}: restart runs the container again`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    const before = (await s.runtime.inspectContainer(id)).state.startedAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await s.runtime.restartContainer(id, {timeoutSeconds: 5});
    const after = await s.runtime.inspectContainer(id);
    t.is(after.state.status, 'running');
    t.not(after.state.startedAt, before);
  });

  test(`${name}: top lists the processes of a running container; of a stopped one it is INVALID_STATE`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    // Right after the start the process may still be between fork and exec (podman shows it so for a moment).
    let top = await s.runtime.topContainer(id);
    for (let i = 0; i < 50 && !top.processes.some((row) => row.join(' ').includes('sleep')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      top = await s.runtime.topContainer(id);
    }
    t.true(top.titles.includes('PID'));
    t.true(
      top.processes.some((row) => row.join(' ').includes('sleep')),
      JSON.stringify(top.processes),
    );
    await s.runtime.killContainer(id);
    await s.runtime.waitContainer(id, 'not-running', {signal: deadline()});
    await rejectsWith(t, s.runtime.topContainer(id), 'INVALID_STATE');
  });
}
