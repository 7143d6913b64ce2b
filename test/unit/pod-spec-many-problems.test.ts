import test from 'ava';
import {isEngineError, type ValidationIssue} from '../../src/errors.js';
import {parsePodSpec} from '../../src/pod/spec/parse.js';

const BROKEN = `
name: Web
colour: blue
network: {driver: docker, name: bridge, ip: 10.0.0.9}
hostname: web_1
ports:
  - {containerPort: 80, hostPort: 8080}
  - {containerPort: 81, hostPort: 8080}
hosts: [db]
restartPolicy: Sometimes
netLimit: {egressMbps: 10}
labels: {dev.bcs-executor.pod: x}
containers:
  - name: app
    image: bcs-executor/demo:local
    resources: {cpus: 0.5, memMB: 4}
    limits: {cpus: 0.005}
    env: [{key: TOKEN, value: 987654, secret: true}]
    files: [{path: etc/app.conf, content: x, mode: "999"}]
    healthCheck: {type: http, intervalSeconds: 2}
    extendedResources: [{name: gpu, socket: /run/gpu.sock}]
  - name: app
    image: bcs-executor/demo:local
    ulimits: [{name: nofile, soft: 10, hard: 5}]
    volumes: [{hostPath: data, containerPath: /data}]
`;

const EXPECTED_PATHS = [
  'colour',
  'name',
  'restartPolicy',
  'labels["dev.bcs-executor.pod"]',
  'containers[0].env[0].value',
  'containers[0].healthCheck.port',
  'containers[0].healthCheck.timeoutSeconds',
  'containers[1].name',
  'ports[1].hostPort',
  'netLimit',
  'containers[0].resources.memMB',
  'containers[0].limits.cpus',
  'containers[0].extendedResources[0].socket',
  'containers[0].files[0].path',
  'containers[0].files[0].mode',
  'containers[1].ulimits[0].soft',
  'containers[1].volumes[0].hostPath',
  'network.ip',
  'hosts[0]',
  'hostname',
];

test('a spec with many problems reports every one of them at once, each with its path', (t) => {
  let issues: readonly ValidationIssue[] = [];
  try {
    parsePodSpec(BROKEN);
    t.fail('the spec was accepted');
  } catch (error) {
    if (!isEngineError(error)) throw error;
    t.is(error.code, 'VALIDATION');
    issues = error.details['issues'] as ValidationIssue[];
    t.regex(error.message, new RegExp(`^invalid pod spec: ${EXPECTED_PATHS.length} problems\\n`));
  }
  t.deepEqual(issues.map((issue) => issue.path).sort(), [...EXPECTED_PATHS].sort());
  for (const issue of issues) t.true(issue.message.length > 0, issue.path);
  // A secret is never echoed, even when it is wrong.
  t.false(JSON.stringify(issues).includes('987654'));
});
