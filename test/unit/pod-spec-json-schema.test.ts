import test from 'ava';
import {podSpecJsonSchema} from '../../src/pod/spec/json-schema.js';
import {CONTAINER_FIELDS, POD_FIELDS} from '../../src/pod/spec/schema.js';

interface ObjectSchema {
  readonly type: string;
  readonly properties: Readonly<Record<string, Record<string, unknown>>>;
  readonly required: readonly string[];
  readonly additionalProperties: boolean;
}

test('the JSON Schema lists every field, refuses others and requires name and containers', (t) => {
  const schema = podSpecJsonSchema() as unknown as ObjectSchema & {$schema: string};
  t.is(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  t.is(schema.type, 'object');
  t.false(schema.additionalProperties);
  t.deepEqual(Object.keys(schema.properties).sort(), [...Object.keys(POD_FIELDS), 'containers'].sort());
  t.deepEqual([...schema.required].sort(), ['containers', 'name']);
  const containers = schema.properties['containers'] as {minItems: number; items: ObjectSchema};
  t.is(containers.minItems, 1);
  t.false(containers.items.additionalProperties);
  t.deepEqual(Object.keys(containers.items.properties).sort(), Object.keys(CONTAINER_FIELDS).sort());
  t.deepEqual([...containers.items.required].sort(), ['image', 'name']);
});

test('leaves carry their ranges, enums, patterns and what is allowed', (t) => {
  const schema = podSpecJsonSchema() as unknown as ObjectSchema;
  t.like(schema.properties['name'], {
    type: 'string',
    minLength: 1,
    maxLength: 50,
    pattern: '^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$',
  });
  t.like(schema.properties['restartPolicy'], {enum: ['Never', 'OnFailure', 'Always']});
  const ports = schema.properties['ports'] as {items: ObjectSchema};
  t.like(ports.items.properties['containerPort'], {
    type: 'integer',
    minimum: 1,
    maximum: 65_535,
    description: 'a port number, 1-65535',
  });
  // The input side: env values may be numbers or booleans, which the validator turns into strings.
  const containers = schema.properties['containers'] as {items: ObjectSchema};
  const env = containers.items.properties['env'] as {items: ObjectSchema};
  t.deepEqual(env.items.properties['value']?.['type'], ['string', 'number', 'boolean']);
  t.is(podSpecJsonSchema(), podSpecJsonSchema());
});
