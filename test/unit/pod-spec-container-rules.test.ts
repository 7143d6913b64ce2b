import test from 'ava';
import type {ValidationIssue} from '../../src/errors.js';
import {validatePodSpec} from '../../src/pod/spec/parse.js';

type Raw = Record<string, unknown>;

const APP = {name: 'app', image: 'bcs-executor/demo:local'};

/** The issues of a pod whose second container is `container` (the first is fine), so paths show the index. */
function issues(container: Raw): readonly ValidationIssue[] {
  const result = validatePodSpec({name: 'web', containers: [APP, {...APP, name: 'c', ...container}]});
  return 'issues' in result ? result.issues : [];
}

const C = 'containers[1]';

test('name and image are required; the image is a valid reference', (t) => {
  const result = validatePodSpec({name: 'web', containers: [{}, {name: 'x', image: 'Bad Image'}]});
  t.deepEqual('issues' in result ? result.issues : [], [
    {path: 'containers[0].name', message: 'is required'},
    {path: 'containers[0].image', message: 'is required'},
    {
      path: 'containers[1].image',
      message: 'image reference "Bad Image" must not contain whitespace',
      allowed: '[registry[:port]/]path[:tag][@sha256:<64 hex>]',
    },
  ]);
});

test('types: command a string, args strings, booleans true or false', (t) => {
  t.deepEqual(issues({command: ['httpd'], args: ['-p', 80], privileged: 'yes', oomKillDisabled: 1}), [
    {
      path: `${C}.command`,
      message: 'must be a string, not a list',
      allowed: 'the program to run (the first argv entry)',
    },
    {
      path: `${C}.args[1]`,
      message: 'must be a string, not a whole number (quote it in YAML)',
      allowed: 'an argument',
    },
    {path: `${C}.privileged`, message: 'must be true or false, not a string'},
    {path: `${C}.oomKillDisabled`, message: 'must be true or false, not a whole number'},
  ]);
});

test('resources: Docker minimums from the task rules, at spec paths', (t) => {
  t.deepEqual(issues({resources: {cpus: -1, memMB: 4}, limits: {cpus: 0.005, memMB: 5}}), [
    {path: `${C}.resources.cpus`, message: 'must be at least 0', allowed: 'cores, a number >= 0 (e.g. 0.5)'},
    {
      path: `${C}.resources.memMB`,
      message: "4 MB is under Docker's minimum of 6 MB",
      allowed: '0 (no limit), or >= 6',
    },
    {
      path: `${C}.limits.cpus`,
      message: "a CPU limit of 0.005 gives a CPU quota of 500 µs, under Docker's minimum of 1000",
      allowed: '0 (no limit), or >= 0.01',
    },
    {
      path: `${C}.limits.memMB`,
      message: "5 MB is under Docker's minimum of 6 MB",
      allowed: '0 (no limit), or >= 6',
    },
  ]);
  t.deepEqual(issues({resources: {cpus: 0.5, memMB: 6}, limits: {cpus: 0.01, memMB: 0}}), []);
});

test('ulimits, shmMB and workingDir', (t) => {
  t.deepEqual(
    issues({
      ulimits: [
        {name: 'nofile', soft: 4096, hard: 1024},
        {name: 'files', soft: 1, hard: 1},
        {name: 'core', soft: -2, hard: -1},
      ],
      shmMB: 1.5,
      workingDir: 'www',
    }),
    [
      {
        path: `${C}.shmMB`,
        message: 'must be a whole number, not a fraction',
        allowed: 'MiB of /dev/shm, a whole number >= 0',
      },
      {
        path: `${C}.ulimits[0].soft`,
        message: 'soft limit 4096 is above hard limit 1024',
        allowed: 'N, soft:hard, or -1 for unlimited (integers >= -1, soft <= hard)',
      },
      {
        path: `${C}.ulimits[1].name`,
        message: 'unknown ulimit "files"',
        allowed:
          'core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack',
      },
      {
        path: `${C}.ulimits[2].soft`,
        message: '-2 is not an integer >= -1',
        allowed: 'N, soft:hard, or -1 for unlimited (integers >= -1, soft <= hard)',
      },
      {
        path: `${C}.workingDir`,
        message: 'working directory "www" is not absolute',
        allowed: 'an absolute path',
      },
    ],
  );
});

test('env: keys from the task rules; plain values may be numbers, secret values must be strings', (t) => {
  t.deepEqual(
    issues({
      env: [
        {key: 'PORT', value: 80},
        {key: 'TOKEN', value: 123, secret: true},
        {key: 'A=B', value: 'x'},
        {key: 'OK', value: true, secret: false},
        {key: 'LIST', value: ['x']},
      ],
    }),
    [
      {
        path: `${C}.env[1].value`,
        message:
          'a secret value must be a string, not a number: quote it in YAML, which would otherwise rewrite it (0123 becomes 83)',
        allowed: 'a quoted string',
      },
      {
        path: `${C}.env[4].value`,
        message: 'must be a string',
        allowed: 'a string (numbers and booleans are taken as text, except for secrets)',
      },
      {
        path: `${C}.env[2].key`,
        message: 'env key "A=B" contains "="',
        allowed: 'a non-empty name without "="',
      },
    ],
  );
  const result = validatePodSpec({
    name: 'web',
    containers: [
      {
        ...APP,
        env: [
          {key: 'PORT', value: 80},
          {key: 'ON', value: true},
        ],
      },
    ],
  });
  t.deepEqual('spec' in result ? result.spec.containers[0]?.env : undefined, [
    {key: 'PORT', value: '80'},
    {key: 'ON', value: 'true'},
  ]);
});

test('volumes: absolute paths, one mount per container path (task rules)', (t) => {
  t.deepEqual(
    issues({
      volumes: [
        {hostPath: 'data', containerPath: '/data'},
        {hostPath: '/srv', containerPath: '/data/', readOnly: 'yes'},
        {hostPath: '/srv', containerPath: '/data'},
      ],
    }),
    [
      {
        path: `${C}.volumes[1].readOnly`,
        message: 'must be true or false, not a string',
        allowed: 'default false',
      },
      {
        path: `${C}.volumes[0].hostPath`,
        message: 'host path "data" is not absolute',
        allowed: 'an absolute path without ":"',
      },
      // The bad readOnly is left out and the rest of the entry still checked: "/data/" is "/data".
      {path: `${C}.volumes[1].containerPath`, message: '"/data" is already mounted by volumes[0]'},
      {path: `${C}.volumes[2].containerPath`, message: '"/data" is already mounted by volumes[0]'},
    ],
  );
});

test('files: absolute path, exactly one of content and base64, valid base64, octal mode, uid[:gid] owner', (t) => {
  t.deepEqual(
    issues({
      files: [
        {path: '/etc/a.conf', content: 'x', base64: 'eA=='},
        {path: '/etc/b.conf'},
        {path: 'etc/c.conf', content: 'x', mode: '999', owner: 'root'},
        {path: '/etc/d.conf', base64: 'not base64!'},
        {path: '/etc/e.conf', content: 'x', mode: 644},
        {path: '/etc/f.conf', content: 'x', mode: '0600', owner: '1000:1000'},
      ],
    }),
    [
      {
        path: `${C}.files[0]`,
        message: 'gives both content and base64',
        allowed: 'exactly one of content (text) or base64 (bytes)',
      },
      {
        path: `${C}.files[1]`,
        message: 'gives neither content nor base64',
        allowed: 'exactly one of content (text) or base64 (bytes)',
      },
      {
        path: `${C}.files[2].owner`,
        message: 'is not uid or uid:gid',
        allowed: 'numeric uid or uid:gid inside the container, e.g. 1000:1000',
      },
      {
        path: `${C}.files[4].mode`,
        message: 'must be a string, not a whole number (quote it in YAML)',
        allowed: 'an octal mode string, e.g. "0644" (quote it in YAML)',
      },
      {
        path: `${C}.files[2].path`,
        message: '"etc/c.conf" is not an absolute file path',
        allowed: 'an absolute path to a file, e.g. /etc/app.conf',
      },
      {path: `${C}.files[2].mode`, message: 'mode "999" is not octal', allowed: 'e.g. 0644, 755'},
      {
        path: `${C}.files[3].base64`,
        message: 'content is not valid base64',
        allowed: 'standard base64 with padding',
      },
    ],
  );
});

test('healthCheck: defaults fill the timings, then the health validator owns the rules', (t) => {
  t.deepEqual(issues({healthCheck: {type: 'http', port: 80}}), []);
  t.deepEqual(issues({healthCheck: {type: 'http'}}), [
    {path: `${C}.healthCheck.port`, message: 'is required', allowed: '1..65535'},
  ]);
  t.deepEqual(issues({healthCheck: {type: 'tcp', port: 80, intervalSeconds: 2}}), [
    {
      path: `${C}.healthCheck.timeoutSeconds`,
      message: 'must be less than intervalSeconds (2)',
      allowed: '> 0 and < 2',
    },
  ]);
  t.deepEqual(issues({healthCheck: {type: 'command', command: '', probe: 1}}), [
    {
      path: `${C}.healthCheck.probe`,
      message: 'is not a known field',
      allowed:
        'type | port | path | scheme | command | intervalSeconds | timeoutSeconds | gracePeriodSeconds | consecutiveFailures | action',
    },
    {
      path: `${C}.healthCheck.command`,
      message: 'must not be empty',
      allowed: 'a command string (quoted like a shell, no shell is run) or a non-empty argv array',
    },
  ]);
  t.deepEqual(issues({healthCheck: 'http'}), [
    {
      path: `${C}.healthCheck`,
      message: 'must be an object',
      allowed: 'a health check {type, intervalSeconds, ...}',
    },
  ]);
});

test('extended resources: the device-plugin socket form is unsupported, devices are the way', (t) => {
  t.deepEqual(
    issues({
      extendedResources: [
        {name: 'gpu', socket: '/var/lib/kubelet/device-plugins/x.sock'},
        {name: 'fuse', devices: ['fuse']},
      ],
    }),
    [
      {
        path: `${C}.extendedResources[0].socket`,
        message: 'device-plugin sockets are unsupported: list the host device paths in `devices` instead',
        allowed: 'devices: ["/dev/..."]',
      },
      {
        path: `${C}.extendedResources[1].devices[0]`,
        message: 'device path "fuse" is not absolute',
        allowed: 'an absolute path without ":"',
      },
    ],
  );
  t.deepEqual(issues({extendedResources: [{name: 'fuse', devices: ['/dev/fuse']}]}), []);
});

test('a container kill policy is checked where it is written', (t) => {
  t.deepEqual(issues({killPolicy: {graceSeconds: 86_401}}), [
    {
      path: `${C}.killPolicy.graceSeconds`,
      message: 'must be at most 86400',
      allowed: 'whole seconds between the stop signal and SIGKILL, 0-86400',
    },
  ]);
});

test('a bad entry of a list does not hide problems of the others, whose paths keep their spec index', (t) => {
  const found = issues({
    env: [
      {key: 'S', value: 1, secret: true},
      {key: '', value: 'x'},
    ],
    files: [
      {path: '/a', content: 'x', owner: 'me'},
      {path: 'b', content: 'x'},
    ],
    resources: {cpus: 'half', memMB: 3},
  });
  t.deepEqual(
    found.map((issue) => issue.path),
    [
      `${C}.env[0].value`,
      `${C}.resources.cpus`,
      `${C}.files[0].owner`,
      `${C}.resources.memMB`,
      `${C}.env[1].key`,
      `${C}.files[1].path`,
    ],
  );
});
