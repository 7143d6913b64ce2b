import test from 'ava';
import {EngineError, isEngineError, toEngineError, validationError} from '../../src/errors.js';

test('validationError lists every issue with its path and keeps them structured', (t) => {
  const error = validationError(
    [
      {path: 'containers[0].resources.memMB', message: 'must be at least 6', allowed: '>= 6'},
      {path: 'name', message: 'is required'},
    ],
    'pod spec',
  );
  t.is(error.code, 'VALIDATION');
  t.regex(error.message, /invalid pod spec: 2 problems/);
  t.regex(error.message, /containers\[0\]\.resources\.memMB: must be at least 6/);
  t.regex(error.message, /name: is required/);
  t.deepEqual(error.details.issues, [
    {path: 'containers[0].resources.memMB', message: 'must be at least 6', allowed: '>= 6'},
    {path: 'name', message: 'is required'},
  ]);
});

test('toEngineError keeps EngineErrors and wraps the rest', (t) => {
  const original = new EngineError('NOT_FOUND', 'no such pod: web', {details: {resource: 'pod', ref: 'web'}});
  t.is(toEngineError(original), original);
  const wrapped = toEngineError(new Error('boom'));
  t.true(isEngineError(wrapped));
  t.is(wrapped.code, 'ENGINE_ERROR');
  const abort = new Error('aborted');
  abort.name = 'AbortError';
  t.is(toEngineError(abort).code, 'CANCELLED');
  t.deepEqual(JSON.parse(JSON.stringify(original)), {
    code: 'NOT_FOUND',
    message: 'no such pod: web',
    details: {resource: 'pod', ref: 'web'},
  });
});
