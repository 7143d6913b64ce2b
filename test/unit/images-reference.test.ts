import test from 'ava';
import fc from 'fast-check';
import {isEngineError} from '../../src/errors.js';
import {imageReferenceIssues, parseImageReference, withDefaultTag} from '../../src/images/reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

type Row = readonly [
  input: string,
  expected: {
    registry: string;
    path: string;
    tag?: string;
    digest?: string;
    normalized: string;
    familiar: string;
    pullRef: string;
  },
];

const rows: readonly Row[] = [
  [
    'nginx',
    {
      registry: 'docker.io',
      path: 'library/nginx',
      tag: 'latest',
      normalized: 'docker.io/library/nginx:latest',
      familiar: 'nginx:latest',
      pullRef: 'docker.io/library/nginx:latest',
    },
  ],
  [
    'nginx:1.19',
    {
      registry: 'docker.io',
      path: 'library/nginx',
      tag: '1.19',
      normalized: 'docker.io/library/nginx:1.19',
      familiar: 'nginx:1.19',
      pullRef: 'docker.io/library/nginx:1.19',
    },
  ],
  [
    'bcs-executor/pause:local',
    {
      registry: 'docker.io',
      path: 'bcs-executor/pause',
      tag: 'local',
      normalized: 'docker.io/bcs-executor/pause:local',
      familiar: 'bcs-executor/pause:local',
      pullRef: 'docker.io/bcs-executor/pause:local',
    },
  ],
  [
    'docker.io/library/nginx',
    {
      registry: 'docker.io',
      path: 'library/nginx',
      tag: 'latest',
      normalized: 'docker.io/library/nginx:latest',
      familiar: 'nginx:latest',
      pullRef: 'docker.io/library/nginx:latest',
    },
  ],
  [
    'index.docker.io/foo/bar:2',
    {
      registry: 'docker.io',
      path: 'foo/bar',
      tag: '2',
      normalized: 'docker.io/foo/bar:2',
      familiar: 'foo/bar:2',
      pullRef: 'docker.io/foo/bar:2',
    },
  ],
  [
    'reg:5000/foo',
    {
      registry: 'reg:5000',
      path: 'foo',
      tag: 'latest',
      normalized: 'reg:5000/foo:latest',
      familiar: 'reg:5000/foo:latest',
      pullRef: 'reg:5000/foo:latest',
    },
  ],
  [
    'localhost/app:dev',
    {
      registry: 'localhost',
      path: 'app',
      tag: 'dev',
      normalized: 'localhost/app:dev',
      familiar: 'localhost/app:dev',
      pullRef: 'localhost/app:dev',
    },
  ],
  [
    'registry.example.com/team/sub/app:v1.2.3',
    {
      registry: 'registry.example.com',
      path: 'team/sub/app',
      tag: 'v1.2.3',
      normalized: 'registry.example.com/team/sub/app:v1.2.3',
      familiar: 'registry.example.com/team/sub/app:v1.2.3',
      pullRef: 'registry.example.com/team/sub/app:v1.2.3',
    },
  ],
  [
    'Registry/app',
    {
      registry: 'Registry',
      path: 'app',
      tag: 'latest',
      normalized: 'Registry/app:latest',
      familiar: 'Registry/app:latest',
      pullRef: 'Registry/app:latest',
    },
  ],
  [
    '[::1]:5000/app',
    {
      registry: '[::1]:5000',
      path: 'app',
      tag: 'latest',
      normalized: '[::1]:5000/app:latest',
      familiar: '[::1]:5000/app:latest',
      pullRef: '[::1]:5000/app:latest',
    },
  ],
  [
    'localhost:5000',
    {
      registry: 'docker.io',
      path: 'library/localhost',
      tag: '5000',
      normalized: 'docker.io/library/localhost:5000',
      familiar: 'localhost:5000',
      pullRef: 'docker.io/library/localhost:5000',
    },
  ],
  [
    'docker.io/my.org/app',
    {
      registry: 'docker.io',
      path: 'my.org/app',
      tag: 'latest',
      normalized: 'docker.io/my.org/app:latest',
      familiar: 'docker.io/my.org/app:latest',
      pullRef: 'docker.io/my.org/app:latest',
    },
  ],
  [
    `nginx@${DIGEST}`,
    {
      registry: 'docker.io',
      path: 'library/nginx',
      digest: DIGEST,
      normalized: `docker.io/library/nginx@${DIGEST}`,
      familiar: `nginx@${DIGEST}`,
      pullRef: `docker.io/library/nginx@${DIGEST}`,
    },
  ],
  [
    `reg:5000/foo:1.0@${DIGEST}`,
    {
      registry: 'reg:5000',
      path: 'foo',
      tag: '1.0',
      digest: DIGEST,
      normalized: `reg:5000/foo:1.0@${DIGEST}`,
      familiar: `reg:5000/foo:1.0@${DIGEST}`,
      pullRef: `reg:5000/foo@${DIGEST}`,
    },
  ],
  [
    'a__b/c-d--e.f_g:_T.1-x',
    {
      registry: 'docker.io',
      path: 'a__b/c-d--e.f_g',
      tag: '_T.1-x',
      normalized: 'docker.io/a__b/c-d--e.f_g:_T.1-x',
      familiar: 'a__b/c-d--e.f_g:_T.1-x',
      pullRef: 'docker.io/a__b/c-d--e.f_g:_T.1-x',
    },
  ],
];

for (const [input, expected] of rows) {
  test(`parseImageReference(${JSON.stringify(input)})`, (t) => {
    t.deepEqual(parseImageReference(input), expected);
  });
}

test('seed case 21/23: an untagged name means :latest, never all tags', (t) => {
  t.is(parseImageReference('nginx').tag, 'latest');
  t.is(parseImageReference('reg:5000/foo').pullRef, 'reg:5000/foo:latest');
  t.is(parseImageReference('nginx').pullRef.endsWith(':latest'), true);
});

test('seed case 22: nginx and nginx:1.19 are different references', (t) => {
  t.not(parseImageReference('nginx').normalized, parseImageReference('nginx:1.19').normalized);
  t.is(
    parseImageReference('nginx').normalized,
    parseImageReference('docker.io/library/nginx:latest').normalized,
  );
});

test('seed case 23: a digest is kept, and pulled by', (t) => {
  const reference = parseImageReference(`repo@${DIGEST}`);
  t.is(reference.digest, DIGEST);
  t.is(reference.tag, undefined);
  t.is(reference.pullRef, `docker.io/library/repo@${DIGEST}`);
  t.is(withDefaultTag(`repo@${DIGEST}`), `repo@${DIGEST}`);
});

test('withDefaultTag adds :latest only when neither tag nor digest is given, keeping the spelling', (t) => {
  t.is(withDefaultTag('nginx'), 'nginx:latest');
  t.is(withDefaultTag('reg:5000/foo'), 'reg:5000/foo:latest');
  t.is(withDefaultTag('nginx:1.19'), 'nginx:1.19');
  t.is(withDefaultTag('docker.io/library/nginx'), 'docker.io/library/nginx:latest');
  t.is(withDefaultTag(`reg:5000/foo:1@${DIGEST}`), `reg:5000/foo:1@${DIGEST}`);
});

const invalid: readonly (readonly [string, RegExp])[] = [
  ['', /is empty/],
  ['ngi nx', /whitespace/],
  ['Nginx', /must be lower case/],
  ['nginx:', /tag "" must be/],
  ['nginx:-bad', /tag "-bad" must be/],
  [`nginx:${'t'.repeat(129)}`, /tag .* must be 1-128/],
  ['nginx@', /digest "" must be sha256/],
  ['nginx@md5:abc', /digest "md5:abc" must be sha256/],
  ['nginx@sha256:abc', /64 lower-case hex/],
  [`nginx@sha256:${'A'.repeat(64)}`, /64 lower-case hex/],
  ['foo//bar', /empty component/],
  ['foo/', /empty component/],
  ['foo/-bar', /component "-bar" may hold only/],
  ['foo/ba..r', /component "ba..r" may hold only/],
  ['bad_host.com:x/app', /registry "bad_host.com:x" is not a host/],
  [':tag', /has no repository name/],
  ['a'.repeat(256), /at most 255/],
  ['a'.repeat(64).replace(/a/g, 'f'), /image id/],
  [`sha256:${'0'.repeat(64)}`, /image id/],
];

for (const [input, message] of invalid) {
  test(`parseImageReference rejects ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`, (t) => {
    const error = t.throws(() => parseImageReference(input));
    t.true(isEngineError(error));
    if (!isEngineError(error)) return;
    t.is(error.code, 'VALIDATION');
    t.regex(error.message, message);
    const issues = imageReferenceIssues(input, 'containers[0].image');
    t.is(issues.length, 1);
    t.is(issues[0]?.path, 'containers[0].image');
    t.regex(issues[0]?.message ?? '', message);
    t.truthy(issues[0]?.allowed);
  });
}

test('imageReferenceIssues is empty for a good reference', (t) => {
  t.deepEqual(imageReferenceIssues('nginx:1.19', 'image'), []);
});

test('normalized references parse back to themselves', (t) => {
  const component = fc.stringMatching(/^[a-z0-9]{1,6}(?:[._-][a-z0-9]{1,4})?$/);
  const registry = fc.constantFrom('', 'docker.io/', 'reg.example:5000/', 'localhost/');
  const tag = fc.option(fc.stringMatching(/^\w[\w.-]{0,9}$/), {nil: undefined});
  const digest = fc.option(fc.stringMatching(/^[a-f0-9]{64}$/), {nil: undefined});
  fc.assert(
    fc.property(
      registry,
      fc.array(component, {minLength: 1, maxLength: 3}),
      tag,
      digest,
      (host, path, t1, d) => {
        const input = `${host}${path.join('/')}${t1 === undefined ? '' : `:${t1}`}${d === undefined ? '' : `@sha256:${d}`}`;
        const reference = parseImageReference(input);
        t.is(parseImageReference(reference.normalized).normalized, reference.normalized);
        t.is(parseImageReference(reference.familiar).normalized, reference.normalized);
        t.is(parseImageReference(reference.pullRef).digest, reference.digest);
      },
    ),
  );
});
