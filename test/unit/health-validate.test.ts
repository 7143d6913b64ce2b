import test from 'ava';
import type {ValidationIssue} from '../../src/errors.js';
import {validateHealthCheck, validateHealthTiming} from '../../src/health/validate.js';

const P = 'containers[0].healthCheck';
const timing = {intervalSeconds: 5, timeoutSeconds: 2, gracePeriodSeconds: 1, consecutiveFailures: 3};

function paths(issues: readonly ValidationIssue[]): string[] {
  return issues.map((issue) => issue.path);
}

test('valid http, tcp and command checks give no issues', (t) => {
  t.deepEqual(
    validateHealthCheck({type: 'http', port: 80, path: '/healthz', scheme: 'https', ...timing}, P),
    [],
  );
  t.deepEqual(validateHealthCheck({type: 'http', port: 1, ...timing, action: 'restart'}, P), []);
  t.deepEqual(validateHealthCheck({type: 'tcp', port: 65_535, ...timing}, P), []);
  t.deepEqual(validateHealthCheck({type: 'command', command: `sh -c 'test -f /ready'`, ...timing}, P), []);
  t.deepEqual(
    validateHealthCheck({type: 'command', command: ['cat', '/ready'], ...timing, action: 'report'}, P),
    [],
  );
});

test('fractional seconds and a zero grace period are accepted', (t) => {
  const fast = {intervalSeconds: 0.05, timeoutSeconds: 0.02, gracePeriodSeconds: 0, consecutiveFailures: 1};
  t.deepEqual(validateHealthCheck({type: 'tcp', port: 8080, ...fast}, P), []);
});

test('seed case 44: timeout must be below the interval, with the rule in the message', (t) => {
  for (const timeoutSeconds of [5, 6]) {
    t.deepEqual(validateHealthCheck({type: 'tcp', port: 80, ...timing, timeoutSeconds}, P), [
      {path: `${P}.timeoutSeconds`, message: 'must be less than intervalSeconds (5)', allowed: '> 0 and < 5'},
    ]);
  }
});

test('the seed defaults 0/0 are refused with one issue per field', (t) => {
  const issues = validateHealthCheck(
    {
      type: 'tcp',
      port: 80,
      intervalSeconds: 0,
      timeoutSeconds: 0,
      gracePeriodSeconds: 0,
      consecutiveFailures: 0,
    },
    P,
  );
  t.deepEqual(paths(issues), [`${P}.intervalSeconds`, `${P}.timeoutSeconds`, `${P}.consecutiveFailures`]);
  t.is(issues[0]?.message, 'must be greater than 0');
});

test('every problem is listed at once, with its path and what is allowed', (t) => {
  const issues = validateHealthCheck(
    {
      type: 'http',
      port: 70_000,
      path: 'healthz',
      scheme: 'ftp',
      intervalSeconds: '5',
      timeoutSeconds: -1,
      gracePeriodSeconds: -2,
      consecutiveFailures: 1.5,
      action: 'reboot',
      retries: 3,
    },
    P,
  );
  t.deepEqual(paths(issues), [
    `${P}.retries`,
    `${P}.port`,
    `${P}.path`,
    `${P}.scheme`,
    `${P}.intervalSeconds`,
    `${P}.timeoutSeconds`,
    `${P}.gracePeriodSeconds`,
    `${P}.consecutiveFailures`,
    `${P}.action`,
  ]);
  t.true(issues.every((issue) => issue.message.length > 0));
  t.is(issues.find((issue) => issue.path === `${P}.scheme`)?.allowed, 'http | https');
  t.is(issues.find((issue) => issue.path === `${P}.action`)?.allowed, 'report | restart');
  t.is(issues.find((issue) => issue.path === `${P}.port`)?.allowed, '1..65535');
});

test('ports must be integers in 1..65535 and are required for http and tcp', (t) => {
  for (const port of [0, -1, 65_536, 80.5, '80', Number.NaN, undefined]) {
    for (const type of ['http', 'tcp']) {
      const spec = port === undefined ? {type, ...timing} : {type, port, ...timing};
      t.deepEqual(paths(validateHealthCheck(spec, P)), [`${P}.port`], `${type} port ${String(port)}`);
    }
  }
});

test('http paths must be absolute and free of whitespace', (t) => {
  for (const path of ['', 'x', '/a b', '/a\tb', '/a\u0000', 42]) {
    t.deepEqual(paths(validateHealthCheck({type: 'http', port: 80, path, ...timing}, P)), [`${P}.path`]);
  }
  t.deepEqual(validateHealthCheck({type: 'http', port: 80, path: '/ready?full=1&x=%20', ...timing}, P), []);
});

test('commands must split into a non-empty argv', (t) => {
  const check = (command: unknown): ValidationIssue[] =>
    validateHealthCheck({type: 'command', command, ...timing}, P);
  t.deepEqual(check(`echo "oops`), [
    {
      path: `${P}.command`,
      message: 'unterminated double quote (opened at column 6)',
      allowed: 'a command string (quoted like a shell, no shell is run) or a non-empty argv array',
    },
  ]);
  t.is(check('   ')[0]?.message, 'must not be empty');
  t.is(check(`'' x`)[0]?.message, 'the program name must not be empty');
  t.is(check([])[0]?.message, 'must not be empty');
  t.deepEqual(paths(check(['ls', 3])), [`${P}.command[1]`]);
  t.deepEqual(paths(check(['', '-l'])), [`${P}.command[0]`]);
  t.is(check(undefined)[0]?.message, 'is required');
  t.is(check(7)[0]?.message, 'must be a string or an array of strings');
});

test('type is required and must be known; a non-object is refused', (t) => {
  t.deepEqual(paths(validateHealthCheck({...timing}, P)), [`${P}.type`]);
  t.is(validateHealthCheck({type: 'grpc', ...timing}, P)[0]?.allowed, 'http | tcp | command');
  t.deepEqual(validateHealthCheck(null, P), [
    {path: P, message: 'must be an object', allowed: 'a health check {type, intervalSeconds, ...}'},
  ]);
  t.is(validateHealthCheck([], P).length, 1);
});

test('durations past one day are refused (Node timers overflow past 2^31-1 ms)', (t) => {
  t.deepEqual(paths(validateHealthTiming({...timing, intervalSeconds: 86_401}, '')), ['intervalSeconds']);
  t.deepEqual(paths(validateHealthTiming({...timing, gracePeriodSeconds: Number.POSITIVE_INFINITY}, '')), [
    'gracePeriodSeconds',
  ]);
  t.deepEqual(validateHealthTiming({...timing, intervalSeconds: 86_400}, ''), []);
});

test('an empty base path gives bare field names', (t) => {
  t.deepEqual(paths(validateHealthCheck({type: 'tcp', ...timing}, '')), ['port']);
});
