import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {
  compareApiVersions,
  MAX_TESTED_API_VERSION,
  negotiateApiVersion,
} from '../../src/runtime/docker/api-version.js';

test('compareApiVersions compares numerically, not as text', (t) => {
  t.true(compareApiVersions('1.9', '1.41') < 0);
  t.true(compareApiVersions('1.41', '1.9') > 0);
  t.is(compareApiVersions('1.41', '1.41'), 0);
  t.true(compareApiVersions('2.0', '1.99') > 0);
});

test('an older daemon is spoken to in its own version', (t) => {
  t.is(negotiateApiVersion('1.41', '1.45'), '1.41');
  t.is(negotiateApiVersion('1.40', '1.45'), '1.40');
});

test('a newer daemon is spoken to in our max tested version', (t) => {
  t.is(negotiateApiVersion('1.56', '1.45'), '1.45');
  t.is(negotiateApiVersion('1.100'), MAX_TESTED_API_VERSION);
});

test('equal versions negotiate to that version', (t) => {
  t.is(negotiateApiVersion('1.45', '1.45'), '1.45');
});

test('a daemon older than 1.40 is UNSUPPORTED with both versions in details', (t) => {
  const error = t.throws(() => negotiateApiVersion('1.39'));
  t.true(isEngineError(error) && error.code === 'UNSUPPORTED');
  if (isEngineError(error)) t.deepEqual(error.details, {serverApiVersion: '1.39', minApiVersion: '1.40'});
});

test('an unreadable version is ENGINE_ERROR', (t) => {
  const error = t.throws(() => negotiateApiVersion('latest'));
  t.true(isEngineError(error) && error.code === 'ENGINE_ERROR');
});
