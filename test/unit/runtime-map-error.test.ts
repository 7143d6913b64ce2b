import test from 'ava';
import {EngineError} from '../../src/errors.js';
import {engineMessageOf, isNotModified, mapDockerError} from '../../src/runtime/docker/map-error.js';

const endpoint = 'unix:///var/run/docker.sock';

/** An error shaped like docker-modem's: message, statusCode, json body. */
function modemError(statusCode: number, message: string, streamed = false): Error {
  const error = new Error(`(HTTP code ${statusCode}) unexpected - ${message} `) as Error & {
    statusCode: number;
    json: unknown;
  };
  error.statusCode = statusCode;
  error.json = streamed ? null : {message};
  return error;
}

function socketError(code: string, message = `connect ${code} /var/run/docker.sock`): Error {
  return Object.assign(new Error(message), {code});
}

test('404 is NOT_FOUND with resource and ref, keeping the cause', (t) => {
  const cause = modemError(404, 'No such container: abc');
  const error = mapDockerError(cause, {endpoint, resource: 'container', ref: 'abc'});
  t.is(error.code, 'NOT_FOUND');
  t.is(error.details['resource'], 'container');
  t.is(error.details['ref'], 'abc');
  t.is(error.cause, cause);
});

test('a 404 names the resource the daemon names (image on create, network on start, file on archive)', (t) => {
  const ctx = {endpoint, resource: 'container' as const, ref: 'x'};
  t.is(mapDockerError(modemError(404, 'No such image: nope/absent:x'), ctx).details['resource'], 'image');
  t.is(mapDockerError(modemError(404, 'network nonet not found'), ctx).details['resource'], 'network');
  t.is(
    mapDockerError(modemError(404, 'Could not find the file /nope in container x'), ctx).details['resource'],
    'path',
  );
  t.is(mapDockerError(modemError(404, 'No such exec instance: e'), ctx).details['resource'], 'exec');
  // The ref follows the object the daemon names.
  t.is(mapDockerError(modemError(404, 'No such image: nope/absent:x'), ctx).details['ref'], 'nope/absent:x');
  t.is(mapDockerError(modemError(404, 'network nonet not found'), ctx).details['ref'], 'nonet');
  t.is(mapDockerError(modemError(404, 'No such container: x'), ctx).details['ref'], 'x');
  // HEAD has no body: the context decides.
  t.is(
    mapDockerError(modemError(404, '', true), {endpoint, resource: 'path', ref: 'c:/x'}).details['resource'],
    'path',
  );
});

test('409 on create is ALREADY_EXISTS, elsewhere INVALID_STATE', (t) => {
  const conflict = modemError(409, 'Conflict. The container name "/web" is already in use');
  t.is(
    mapDockerError(conflict, {endpoint, resource: 'container', ref: 'web', create: true}).code,
    'ALREADY_EXISTS',
  );
  const notRunning = modemError(409, 'Container abc is not running');
  const error = mapDockerError(notRunning, {endpoint, resource: 'container', ref: 'abc'});
  t.is(error.code, 'INVALID_STATE');
  t.is(error.details['engineMessage'], 'Container abc is not running');
});

test('304 is recognised so callers can answer changed:false', (t) => {
  t.true(isNotModified(modemError(304, '')));
  t.false(isNotModified(modemError(404, 'x')));
  t.false(isNotModified(new Error('x')));
  // If one ever reaches the mapper, it is the "already" code, not an engine failure.
  t.is(mapDockerError(modemError(304, ''), {endpoint}).code, 'ALREADY_IN_STATE');
});

for (const errno of ['ECONNREFUSED', 'ENOENT', 'EACCES', 'EPIPE', 'ECONNRESET']) {
  test(`${errno} is ENGINE_UNAVAILABLE with endpoint and errno`, (t) => {
    const cause = socketError(errno);
    const error = mapDockerError(cause, {endpoint});
    t.is(error.code, 'ENGINE_UNAVAILABLE');
    t.deepEqual(error.details, {endpoint, errno});
    t.is(error.cause, cause);
  });
}

test('"socket hang up" is ENGINE_UNAVAILABLE', (t) => {
  const error = mapDockerError(new Error('socket hang up'), {endpoint});
  t.is(error.code, 'ENGINE_UNAVAILABLE');
  t.is(error.details['errno'], 'ECONNRESET');
});

test('an abort is CANCELLED, whether by error name or by the signal', (t) => {
  const abort = new Error('The operation was aborted');
  abort.name = 'AbortError';
  t.is(mapDockerError(abort, {endpoint}).code, 'CANCELLED');
  const controller = new AbortController();
  controller.abort();
  t.is(mapDockerError(socketError('ECONNRESET'), {endpoint, signal: controller.signal}).code, 'CANCELLED');
});

test('other statuses are ENGINE_ERROR with statusCode and the engine message', (t) => {
  const error = mapDockerError(modemError(500, 'extraction point is not a directory'), {endpoint});
  t.is(error.code, 'ENGINE_ERROR');
  t.deepEqual(error.details, {statusCode: 500, engineMessage: 'extraction point is not a directory'});
  t.is(error.message, 'extraction point is not a directory');
});

test('an unknown error is ENGINE_ERROR with a null status', (t) => {
  const error = mapDockerError(new Error('weird'), {endpoint});
  t.is(error.code, 'ENGINE_ERROR');
  t.deepEqual(error.details, {statusCode: null, engineMessage: 'weird'});
});

test('EngineErrors pass through untouched', (t) => {
  const original = new EngineError('TIMEOUT', 'slow');
  t.is(mapDockerError(original, {endpoint}), original);
});

test('the engine message is read from json, a raw buffer, or the streamed error text', (t) => {
  t.is(engineMessageOf(modemError(404, 'No such container: a')), 'No such container: a');
  t.is(engineMessageOf(modemError(404, 'No such container: a', true)), 'No such container: a');
  t.is(
    engineMessageOf(
      Object.assign(new Error('(HTTP code 500) unexpected - x '), {json: Buffer.from('plain text\n')}),
    ),
    'plain text',
  );
});
