/** JSON Schemas as short Markdown: a type in one line, and a property table. */

type Schema = Readonly<Record<string, unknown>>;

function asSchema(value: unknown): Schema {
  return typeof value === 'object' && value !== null ? (value as Schema) : {};
}

/** `PodView`, `string`, `"running" | "healthy"`, `ContainerView[]`, `{[key: string]: string}`, ... */
export function typeText(value: unknown): string {
  const schema = asSchema(value);
  const ref = schema['$ref'];
  if (typeof ref === 'string') return ref.replace('#/$defs/', '');
  if (typeof schema['id'] === 'string' && schema['properties'] === undefined) return schema['id'];
  const union = (schema['anyOf'] ?? schema['oneOf']) as unknown[] | undefined;
  if (Array.isArray(union)) return union.map(typeText).join(' | ');
  if (Array.isArray(schema['enum'])) return schema['enum'].map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema['const']);
  const type = schema['type'];
  if (type === 'array') return `${wrap(typeText(schema['items']))}[]`;
  if (type === 'integer') return 'integer';
  if (type === 'object') {
    const extra = schema['additionalProperties'];
    if (schema['properties'] === undefined && typeof extra === 'object')
      return `{[key: string]: ${typeText(extra)}}`;
    return 'object';
  }
  if (typeof type === 'string') return type;
  if (Array.isArray(schema['allOf'])) return schema['allOf'].map(typeText).join(' & ');
  return 'any';
}

function wrap(text: string): string {
  return text.includes(' ') ? `(${text})` : text;
}

function constraints(schema: Schema): string {
  const parts: string[] = [];
  // z.int() alone says ±MAX_SAFE_INTEGER: no constraint worth printing.
  const min =
    typeof schema['minimum'] === 'number' && schema['minimum'] > Number.MIN_SAFE_INTEGER
      ? schema['minimum']
      : undefined;
  const max = schema['maximum'];
  if (min !== undefined && typeof max === 'number' && max < Number.MAX_SAFE_INTEGER)
    parts.push(`${min}..${max}`);
  else if (min !== undefined) parts.push(`>= ${min}`);
  else if (typeof max === 'number' && max < Number.MAX_SAFE_INTEGER) parts.push(`<= ${max}`);
  if (typeof schema['minItems'] === 'number' && schema['minItems'] > 0)
    parts.push(`at least ${schema['minItems']}`);
  if (typeof schema['minLength'] === 'number' && schema['minLength'] > 1)
    parts.push(`length >= ${schema['minLength']}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The top-level properties of an object schema as a Markdown table ('none' when it has none). */
export function propertyTable(value: unknown): string {
  const schema = asSchema(value);
  const properties = asSchema(schema['properties']);
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  const names = Object.keys(properties);
  if (names.length === 0) return '_none_';
  const rows = names.map((name) => {
    const property = asSchema(properties[name]);
    const description = typeof property['description'] === 'string' ? property['description'] : '';
    return `| \`${name}\` | \`${cell(typeText(property))}\` | ${required.has(name) ? 'yes' : ''} | ${cell(description + constraints(property))} |`;
  });
  return ['| field | type | required | description |', '|---|---|---|---|', ...rows].join('\n');
}

/** Named types ($defs) used anywhere in the given schemas, first definition wins. */
export function collectDefs(schemas: readonly unknown[]): Map<string, Schema> {
  const defs = new Map<string, Schema>();
  for (const value of schemas) {
    const found = asSchema(asSchema(value)['$defs']);
    for (const [name, def] of Object.entries(found)) if (!defs.has(name)) defs.set(name, asSchema(def));
  }
  return new Map([...defs.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
