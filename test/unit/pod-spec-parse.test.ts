import test from 'ava';
import {isEngineError, type ValidationIssue} from '../../src/errors.js';
import {parsePodSpec, validatePodSpec} from '../../src/pod/spec/parse.js';

const YAML_SPEC = `
name: web
containers:
  - name: app
    image: bcs-executor/demo:local
    env:
      - {key: PORT, value: 80}
`;

const JSON_SPEC = JSON.stringify({
  name: 'web',
  containers: [{name: 'app', image: 'bcs-executor/demo:local', env: [{key: 'PORT', value: '80'}]}],
});

function issuesThrown(fn: () => unknown): readonly ValidationIssue[] {
  try {
    fn();
  } catch (error) {
    if (isEngineError(error) && error.code === 'VALIDATION')
      return error.details['issues'] as ValidationIssue[];
    throw error;
  }
  throw new Error('expected a VALIDATION error');
}

test('YAML and JSON give the same spec, with the network default and env values as strings', (t) => {
  const fromYaml = parsePodSpec(YAML_SPEC);
  t.deepEqual(parsePodSpec(YAML_SPEC, 'yaml'), fromYaml);
  t.deepEqual(parsePodSpec(JSON_SPEC, 'json'), fromYaml);
  t.deepEqual(parsePodSpec(JSON_SPEC), fromYaml);
  t.deepEqual(fromYaml, {
    name: 'web',
    containers: [{name: 'app', image: 'bcs-executor/demo:local', env: [{key: 'PORT', value: '80'}]}],
  });
});

test('a YAML syntax error is an issue with its line and column', (t) => {
  const issues = issuesThrown(() => parsePodSpec('name: web\ncontainers:\n  - name: "app\n'));
  t.deepEqual(issues, [{path: '', message: 'line 4, column 1: Missing closing "quote'}]);
});

test('YAML refuses a key given twice and a second document', (t) => {
  t.deepEqual(
    issuesThrown(() => parsePodSpec('name: a\nname: b\ncontainers: []\n')),
    [{path: '', message: 'line 2, column 1: this key is given twice in the same map'}],
  );
  t.deepEqual(
    issuesThrown(() => parsePodSpec('name: a\n---\nname: b\n')),
    [
      {
        path: '',
        message: 'line 2, column 1: the text holds more than one YAML document; a pod spec is one document',
      },
    ],
  );
});

test('YAML alias bombs are refused, not expanded', (t) => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level < 8; level++) {
    lines.push(
      `${'b'.repeat(level)}: &${'b'.repeat(level)} [${Array(10)
        .fill(`*${level === 1 ? 'a' : 'b'.repeat(level - 1)}`)
        .join(', ')}]`,
    );
  }
  const issues = issuesThrown(() => parsePodSpec(lines.join('\n')));
  t.is(issues.length, 1);
  t.regex(issues[0]?.message ?? '', /^YAML: .*alias/i);
});

test('a JSON syntax error has a line and column and never quotes the source (it may hold a secret)', (t) => {
  const text = '{\n  "name": "web",\n  "containers": [{"env": [{"key": "T", "value": hunter2}]}]\n}';
  const issues = issuesThrown(() => parsePodSpec(text, 'json'));
  t.is(issues.length, 1);
  t.is(issues[0]?.path, '');
  t.regex(issues[0]?.message ?? '', /^line 3, column 49: unexpected character$/);
  t.notRegex(issues[0]?.message ?? '', /hunter2/);
  const trailing = issuesThrown(() => parsePodSpec('{"name": "web",\n}', 'json'));
  t.deepEqual(trailing, [{path: '', message: 'line 2, column 1: Expected double-quoted property name'}]);
  const cut = issuesThrown(() => parsePodSpec('{"name": "web"', 'json'));
  t.deepEqual(cut, [{path: '', message: "line 1, column 15: Expected ',' or '}' after property value"}]);
});

test('strict JSON refuses YAML that auto accepts', (t) => {
  const text = 'name: web\ncontainers: [{name: app, image: busybox}]\n';
  t.is(parsePodSpec(text, 'auto').name, 'web');
  t.is(issuesThrown(() => parsePodSpec(text, 'json')).length, 1);
});

test('an empty document, a list or a scalar is not a pod spec', (t) => {
  t.deepEqual(
    issuesThrown(() => parsePodSpec('')),
    [{path: '', message: 'must be a map, not null'}],
  );
  t.deepEqual(
    issuesThrown(() => parsePodSpec('- a\n')),
    [{path: '', message: 'must be a map, not a list'}],
  );
  t.deepEqual(validatePodSpec('web'), {issues: [{path: '', message: 'must be a map, not a string'}]});
});

test('the thrown error says how many problems and lists them', (t) => {
  const error = t.throws(() => parsePodSpec('name: Web\ncontainers: []\nextra: 1\n'));
  t.true(isEngineError(error));
  t.regex(error?.message ?? '', /^invalid pod spec: 3 problems\n/);
  t.regex(error?.message ?? '', /\n {2}name: is not a lowercase DNS label/);
  t.regex(error?.message ?? '', /\n {2}containers: must have at least 1 entry/);
  t.regex(error?.message ?? '', /\n {2}extra: unknown field "extra"/);
});

test('validatePodSpec returns the spec, or the issues without throwing', (t) => {
  const result = validatePodSpec(JSON.parse(JSON_SPEC));
  t.true('spec' in result);
  const invalid = validatePodSpec({name: 'web'});
  t.deepEqual(invalid, {issues: [{path: 'containers', message: 'is required'}]});
});
