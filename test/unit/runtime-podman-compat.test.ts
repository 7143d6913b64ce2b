/** The pure translations from podman 4.3's compat API to dockerd's answers (no engine needed). */
import test from 'ava';
import {fromState, toContainerStatus} from '../../src/runtime/docker/from-inspect.js';
import {mapDockerError} from '../../src/runtime/docker/map-error.js';
import {decodePathStat} from '../../src/runtime/docker/path-stat.js';
import {
  dockerImageId,
  familiarImage,
  fromPodmanEvent,
  hasLabels,
  splitTopColumns,
  toLibpodUpdateBody,
  toPodmanEventFilters,
} from '../../src/runtime/docker/podman-compat.js';
import type {RuntimeEvent} from '../../src/runtime/port.js';

/** An error as docker-modem builds it from podman's JSON answer. */
function podmanError(statusCode: number, cause: string, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message}`), {
    statusCode,
    json: {cause, message, response: statusCode},
  });
}

test('familiar image names drop docker.io/ and docker.io/library/, and leave the rest', (t) => {
  t.is(familiarImage('docker.io/bcs-executor/demo:local'), 'bcs-executor/demo:local');
  t.is(familiarImage('docker.io/library/busybox:latest'), 'busybox:latest');
  t.is(familiarImage('localhost/mine:1'), 'localhost/mine:1');
  t.is(familiarImage('registry:5000/team/app:v1'), 'registry:5000/team/app:v1');
  t.is(familiarImage('sha256:abc'), 'sha256:abc');
});

test('commit ids get the sha256: prefix podman leaves off', (t) => {
  const hex = 'a'.repeat(64);
  t.is(dockerImageId(hex), `sha256:${hex}`);
  t.is(dockerImageId(`sha256:${hex}`), `sha256:${hex}`);
});

test("podman's conflict 500s are Docker's 409s: ALREADY_EXISTS on create, INVALID_STATE otherwise", (t) => {
  const endpoint = 'unix:///run/podman/podman.sock';
  const taken = podmanError(500, 'that name is already in use', 'the container name "x" is already in use');
  t.is(
    mapDockerError(taken, {endpoint, resource: 'container', ref: 'x', create: true}).code,
    'ALREADY_EXISTS',
  );
  const net = podmanError(500, 'network already exists', 'network name n already used');
  t.is(mapDockerError(net, {endpoint, resource: 'network', ref: 'n', create: true}).code, 'ALREADY_EXISTS');
  const state = podmanError(500, 'container state improper', 'can only kill running containers');
  t.is(mapDockerError(state, {endpoint, resource: 'container', ref: 'x'}).code, 'INVALID_STATE');
  const other = podmanError(500, 'invalid argument', 'must provide a non-empty command');
  t.is(mapDockerError(other, {endpoint, resource: 'container', ref: 'x'}).code, 'ENGINE_ERROR');
});

test('a missing image on create is NOT_FOUND naming the image as the create wrote it', (t) => {
  const error = podmanError(404, 'image not known', 'no such image: docker.io/a/b:c: image not known');
  const mapped = mapDockerError(error, {
    endpoint: 'unix:///x',
    resource: 'container',
    ref: 'a/b:c',
    create: true,
    image: 'a/b:c',
  });
  t.is(mapped.code, 'NOT_FOUND');
  t.like(mapped.details, {resource: 'image', ref: 'a/b:c'});
});

test('a path stat has a link target only for a symlink', (t) => {
  const header = (stat: object) => Buffer.from(JSON.stringify(stat)).toString('base64');
  t.is(decodePathStat(header({name: 'f', size: 1, mode: 0o644, linkTarget: '/tmp/f'})).linkTarget, '');
  const link = decodePathStat(header({name: 'l', size: 1, mode: 2 ** 27 + 0o777, linkTarget: '/tmp/f'}));
  t.is(link.linkTarget, '/tmp/f');
});

test('event filters: Docker names become podman names, bare label keys are checked on our side', (t) => {
  const signal = new AbortController().signal;
  const {options, labelKeys} = toPodmanEventFilters({
    signal,
    types: ['container'],
    labels: ['dev.bcs-executor.managed', 'team=a'],
    actions: ['start', 'die', 'destroy', 'health_status'],
  });
  t.deepEqual(options.labels, ['team=a']);
  t.deepEqual(options.actions, ['start', 'died', 'remove', 'health_status']);
  t.deepEqual(labelKeys, ['dev.bcs-executor.managed']);
  const event: RuntimeEvent = {
    type: 'container',
    action: 'start',
    id: 'x',
    attributes: {'dev.bcs-executor.managed': '1'},
    timeNano: 1n,
  };
  t.true(hasLabels(event, labelKeys));
  t.false(hasLabels({...event, attributes: {}}, labelKeys));
});

test('events come back under Docker names, with the familiar image', (t) => {
  const base: RuntimeEvent = {
    type: 'container',
    action: 'remove',
    id: 'x',
    attributes: {image: 'docker.io/bcs-executor/demo:local', name: 'web'},
    timeNano: 1n,
  };
  t.like(fromPodmanEvent(base), {action: 'destroy', attributes: {image: 'bcs-executor/demo:local'}});
  t.is(
    fromPodmanEvent({...base, action: 'health_status', attributes: {health_status: 'healthy'}}).action,
    'health_status: healthy',
  );
  t.is(fromPodmanEvent({...base, type: 'image', action: 'remove'}).action, 'remove');
});

test('top: one-cell rows are split into the title columns, the last keeping its spaces', (t) => {
  t.deepEqual(
    splitTopColumns({
      titles: ['PID   USER     COMMAND'],
      processes: [['1 root     /run/podman-init -- sleep 300'], ['6 root     sleep 300']],
    }),
    {
      titles: ['PID', 'USER', 'COMMAND'],
      processes: [
        ['1', 'root', '/run/podman-init -- sleep 300'],
        ['6', 'root', 'sleep 300'],
      ],
    },
  );
  const split = {titles: ['PID', 'CMD'], processes: [['1', 'sleep 300']]};
  t.deepEqual(splitTopColumns(split), split);
});

test("libpod's update body holds only what was asked", (t) => {
  t.deepEqual(toLibpodUpdateBody({memory: 64, memorySwap: 64, cpuShares: 512}), {
    cpu: {shares: 512},
    memory: {limit: 64, swap: 64},
  });
  t.deepEqual(toLibpodUpdateBody({pidsLimit: 10}), {pids: {limit: 10}});
  t.deepEqual(toLibpodUpdateBody({restartPolicy: {name: 'no'}}), {});
});

test("podman's transient states read as Docker's: initialized is created, stopping is still running", (t) => {
  t.is(toContainerStatus('initialized'), 'created');
  t.is(toContainerStatus('stopping'), 'running');
  t.is(toContainerStatus('unknown'), 'dead');
  t.like(fromState({Status: 'stopping', Running: false, Pid: 7}), {status: 'running', running: true, pid: 7});
});
