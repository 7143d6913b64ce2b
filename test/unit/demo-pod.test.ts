import test from 'ava';
import {readFileSync} from 'node:fs';
import {DEMO_POD_YAML, demoPodSpec} from '../../src/pod/demo-pod.js';

test('the embedded demo pod is examples/demo.yaml, byte for byte', (t) => {
  t.is(DEMO_POD_YAML, readFileSync(new URL('../../examples/demo.yaml', import.meta.url), 'utf8'));
});

test('the demo pod parses and uses local images only', (t) => {
  const spec = demoPodSpec();
  t.is(spec.name, 'demo');
  t.true(spec.containers.length >= 3);
  for (const container of spec.containers) t.regex(container.image, /^bcs-executor\/demo:local$/);
});
