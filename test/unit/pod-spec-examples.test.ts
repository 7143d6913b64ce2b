import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {LOCAL_IMAGES} from '../../src/constants.js';
import {infraSettings} from '../../src/pod/spec/infra-settings.js';
import {parsePodSpec} from '../../src/pod/spec/parse.js';
import {specToTasks} from '../../src/pod/spec/to-tasks.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');

function load(file: string): ReturnType<typeof parsePodSpec> {
  return parsePodSpec(readFileSync(join(EXAMPLES, file), 'utf8'), 'yaml');
}

test('every example in examples/ parses, validates and converts', (t) => {
  const files = readdirSync(EXAMPLES).filter((file) => /\.ya?ml$|\.json$/.test(file));
  t.true(files.length >= 3);
  for (const file of files) {
    const spec = load(file);
    t.is(specToTasks(spec).length, spec.containers.length, file);
  }
});

test('the demo pod: local images only, web published on 127.0.0.1:8080, health checked, with a logger and a client', (t) => {
  const spec = load('demo.yaml');
  t.deepEqual(
    spec.containers.map((container) => container.name),
    ['web', 'logger', 'client'],
  );
  for (const container of spec.containers) t.is(container.image, LOCAL_IMAGES.demo);
  t.is(spec.infraImage, undefined);
  t.like(infraSettings(spec).portBindings['80/tcp'], {hostPort: '8080', hostIP: '127.0.0.1'});
  t.like(spec.containers[0]?.healthCheck, {type: 'http', port: 80, path: '/healthz'});
  t.is(spec.containers[1]?.command, 'demo-logger');
  t.regex(spec.containers[2]?.args?.join(' ') ?? '', /wget -q -O- http:\/\/127\.0\.0\.1\/healthz/);
});

test('the cni example uses network bcsnet with an egress limit', (t) => {
  const spec = load('cni.yaml');
  t.like(spec.network, {driver: 'cni', name: 'bcsnet'});
  t.is(spec.netLimit?.egressMbps, 10);
  t.deepEqual(specToTasks(spec)[0]?.netLimit, {egressLimit: 10});
});

test('the web example mirrors the design example with local images', (t) => {
  const spec = load('web.yaml');
  t.is(spec.name, 'web');
  t.deepEqual(spec.hosts, ['db:10.0.0.3']);
  const [app] = specToTasks(spec);
  t.like(app, {resource: {cpus: 0.5, mem: 64}, limitResource: {cpus: 1, mem: 128}, image: LOCAL_IMAGES.demo});
  t.deepEqual(app?.ulimits, [{name: 'nofile', soft: 1024, hard: 2048}]);
});
