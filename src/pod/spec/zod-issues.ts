/**
zod issues in the engine's words: a path like `containers[1].resources.memMB`, a message that says what is
wrong without echoing the value (it may be a secret), and what is allowed (the schema's description).
*/
import {z} from 'zod';
import type {ValidationIssue} from '../../errors.js';
import {fieldPath, indexPath, keyPath} from '../../task/issue-path.js';

type Segment = PropertyKey;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `base` followed by zod path segments: numbers index, identifiers are fields, other keys are quoted. */
export function joinPath(base: string, segments: readonly Segment[]): string {
  let path = base;
  for (const segment of segments) {
    if (typeof segment === 'number') path = indexPath(path, segment);
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) path = fieldPath(path, segment);
    else path = keyPath(path, String(segment));
  }
  return path;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodExactOptional || current instanceof z.ZodOptional)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

/** The schema that checked the value at `segments` below `schema`, when the path runs through objects, arrays and records. */
export function schemaAt(schema: z.ZodType, segments: readonly Segment[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of segments) {
    const node: z.ZodType = unwrap(current);
    if (node instanceof z.ZodObject && typeof segment === 'string')
      current = node.shape[segment] as z.ZodType | undefined;
    else if (node instanceof z.ZodArray && typeof segment === 'number') current = node.element as z.ZodType;
    else if (node instanceof z.ZodRecord) current = node.valueType as z.ZodType;
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** The description of the schema at the path, or of its unwrapped inner schema. */
function describedAt(schema: z.ZodType, segments: readonly Segment[]): string | undefined {
  const found = schemaAt(schema, segments);
  if (found === undefined) return undefined;
  return found.description ?? unwrap(found).description;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'whole number' : 'fraction';
  if (value instanceof Uint8Array) return 'binary value';
  return typeof value;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  record: 'a map',
  never: 'absent',
};

function typeMessage(expected: string, input: unknown, hasInput: boolean): string {
  if (hasInput && input === undefined) return 'is required';
  const want = EXPECTED[expected] ?? expected;
  if (!hasInput) return `must be ${want}`;
  if (typeof input === 'number' && !Number.isFinite(input)) return `must be ${want}, not ${String(input)}`;
  const hint =
    expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')
      ? ' (quote it in YAML)'
      : '';
  return `must be ${want}, not ${articled(kindOf(input))}${hint}`;
}

function articled(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

function sizeMessage(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  const small = issue.code === 'too_small';
  const bound = String(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  const relation = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  if (issue.origin === 'string')
    return small && bound === '1' ? 'must not be empty' : `must be ${relation} ${bound} characters`;
  if (issue.origin === 'array')
    return `must have ${relation} ${bound} ${bound === '1' ? 'entry' : 'entries'}`;
  return `must be ${relation} ${bound}`;
}

/** zod says `number` for a string given to an integer field; the field wants a whole number. */
function expectedOf(issue: z.core.$ZodIssueInvalidType, schema: z.ZodType): string {
  if (issue.expected !== 'number') return issue.expected;
  const leaf = schemaAt(schema, issue.path);
  const inner = leaf === undefined ? undefined : unwrap(leaf);
  return inner instanceof z.ZodNumber && inner.format !== null && inner.format.includes('int')
    ? 'int'
    : 'number';
}

function issueMessage(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeMessage(expectedOf(issue, schema), issue.input, 'input' in issue);
    case 'too_big':
    case 'too_small':
      return sizeMessage(issue);
    case 'invalid_value':
      return 'input' in issue
        ? `${JSON.stringify(issue.input) ?? String(issue.input)} is not allowed`
        : 'is not allowed';
    case 'invalid_format':
      // Our regex checks carry their own message; zod's built-in formats (ipv4) get it from the schema too.
      return issue.message;
    default:
      return issue.message;
  }
}

function allowedOf(issue: z.core.$ZodIssue, schema: z.ZodType): string | undefined {
  if (issue.code === 'invalid_value') return issue.values.map((value) => String(value)).join(', ');
  if (issue.code === 'custom') {
    const allowed: unknown = issue.params?.['allowed'];
    if (typeof allowed === 'string') return allowed;
  }
  return describedAt(schema, issue.path);
}

/**
Our issues for zod's `issues` of a value at `base` checked by `schema` (the schema that was run, so the path can
be followed back to the leaf for its description). Unknown keys give one issue each, listing the known ones.
*/
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  base: string,
): ValidationIssue[] {
  return issues.flatMap((issue): ValidationIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      const node = schemaAt(schema, issue.path);
      const inner = node === undefined ? undefined : unwrap(node);
      const known = inner instanceof z.ZodObject ? Object.keys(inner.shape).join(', ') : undefined;
      return issue.keys.map((key) => ({
        path: joinPath(base, [...issue.path, key]),
        message: `unknown field "${key}"`,
        ...(known === undefined ? {} : {allowed: known}),
      }));
    }
    const allowed = allowedOf(issue, schema);
    return [
      {
        path: joinPath(base, issue.path),
        message: issueMessage(issue, schema),
        ...(allowed === undefined ? {} : {allowed}),
      },
    ];
  });
}

/** Checks `value` (found at `base`) with `schema`: the parsed value, or our issues. */
export function checkWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  base: string,
):
  | {readonly ok: true; readonly value: z.output<T>}
  | {readonly ok: false; readonly issues: ValidationIssue[]} {
  const result = schema.safeParse(value, {reportInput: true});
  if (result.success) return {ok: true, value: result.data};
  return {ok: false, issues: fromZodIssues(result.error.issues, schema, base)};
}
