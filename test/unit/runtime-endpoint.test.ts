import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {DEFAULT_ENDPOINT, parseEndpoint, resolveEndpoint} from '../../src/runtime/docker/endpoint.js';

test('the explicit endpoint wins over DOCKER_HOST, which wins over the default', (t) => {
  t.is(resolveEndpoint('unix:///a.sock', {DOCKER_HOST: 'unix:///b.sock'}).endpoint, 'unix:///a.sock');
  t.is(resolveEndpoint(undefined, {DOCKER_HOST: 'unix:///b.sock'}).endpoint, 'unix:///b.sock');
  t.is(resolveEndpoint(undefined, {}).endpoint, DEFAULT_ENDPOINT);
});

test('empty strings count as unset', (t) => {
  t.is(resolveEndpoint('', {DOCKER_HOST: ''}).endpoint, DEFAULT_ENDPOINT);
  t.is(resolveEndpoint('', {DOCKER_HOST: 'tcp://h:1'}).endpoint, 'tcp://h:1');
});

test('unix:// and bare paths resolve to a socket path', (t) => {
  t.deepEqual(parseEndpoint('unix:///var/run/docker.sock'), {
    kind: 'unix',
    endpoint: 'unix:///var/run/docker.sock',
    socketPath: '/var/run/docker.sock',
  });
  t.deepEqual(parseEndpoint('/run/podman/podman.sock'), {
    kind: 'unix',
    endpoint: 'unix:///run/podman/podman.sock',
    socketPath: '/run/podman/podman.sock',
  });
});

test('tcp:// and http:// resolve to host and port; a missing port is 2375', (t) => {
  t.deepEqual(parseEndpoint('tcp://10.0.0.5:2376'), {
    kind: 'tcp',
    endpoint: 'tcp://10.0.0.5:2376',
    host: '10.0.0.5',
    port: 2376,
  });
  t.deepEqual(parseEndpoint('http://localhost:8080/'), {
    kind: 'tcp',
    endpoint: 'http://localhost:8080',
    host: 'localhost',
    port: 8080,
  });
  t.deepEqual(parseEndpoint('tcp://docker'), {
    kind: 'tcp',
    endpoint: 'tcp://docker:2375',
    host: 'docker',
    port: 2375,
  });
  t.deepEqual(parseEndpoint('tcp://[::1]:2375'), {
    kind: 'tcp',
    endpoint: 'tcp://[::1]:2375',
    host: '::1',
    port: 2375,
  });
});

for (const bad of [
  'unix://relative.sock',
  'ssh://user@host',
  'npipe:////./pipe/docker',
  'tcp://h:99999',
  'h:2375',
]) {
  test(`rejects ${bad} with VALIDATION naming the allowed forms`, (t) => {
    const error = t.throws(() => parseEndpoint(bad));
    t.true(isEngineError(error));
    if (!isEngineError(error)) return;
    t.is(error.code, 'VALIDATION');
    const issues = error.details['issues'] as {path: string; allowed: string}[];
    t.is(issues[0]?.path, 'endpoint');
    t.regex(issues[0]?.allowed ?? '', /tcp:\/\/host:port/);
  });
}
