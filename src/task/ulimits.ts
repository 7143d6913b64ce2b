/**
Ulimits of a task, in either form: the seed's `{key: 'nofile', value: '1024'}` (now also `'1024:2048'`) or the
structured `{name, soft, hard}`. One parser serves validation and the create mapping, so they cannot disagree.
*/
import type {ValidationIssue} from '../errors.js';
import type {Ulimit} from '../runtime/port.js';
import {fieldPath} from './issue-path.js';
import type {BcsKV, UlimitSpec} from './types.js';

/** The names Docker (go-units `ParseUlimit`) knows. */
export const ULIMIT_NAMES = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
] as const;

/** -1 is RLIM_INFINITY. */
const UNLIMITED = -1;
const ULIMIT_VALUE_FORMS = 'N, soft:hard, or -1 for unlimited (integers >= -1, soft <= hard)';

export type TaskUlimit = BcsKV | UlimitSpec;

function isKnownName(name: string): boolean {
  return (ULIMIT_NAMES as readonly string[]).includes(name);
}

function parseLimit(text: string): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= UNLIMITED ? value : undefined;
}

function limitProblem(value: number): string | undefined {
  return Number.isSafeInteger(value) && value >= UNLIMITED ? undefined : `${value} is not an integer >= -1`;
}

/** soft may not exceed hard, where -1 (unlimited) is above every number. */
function softAboveHard(soft: number, hard: number): boolean {
  if (hard === UNLIMITED) return false;
  return soft === UNLIMITED || soft > hard;
}

/**
Reads one ulimit entry. Returns the Docker ulimit, or the problems found at `path` (`path.key`/`path.value` for
the seed form, `path.name`/`path.soft`/`path.hard` for the structured one). The seed skipped what it could not
parse; here it is an error.
*/
export function parseTaskUlimit(entry: TaskUlimit, path: string): Ulimit | ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seedForm = 'key' in entry;
  const name = seedForm ? entry.key : entry.name;
  if (!isKnownName(name)) {
    issues.push({
      path: fieldPath(path, seedForm ? 'key' : 'name'),
      message: name === '' ? 'ulimit name is empty' : `unknown ulimit "${name}"`,
      allowed: ULIMIT_NAMES.join(', '),
    });
  }
  let soft: number | undefined;
  let hard: number | undefined;
  if (seedForm) {
    const parts = entry.value.split(':');
    soft = parts.length <= 2 ? parseLimit(parts[0] ?? '') : undefined;
    hard = parts.length === 2 ? parseLimit(parts[1] ?? '') : soft;
    if (soft === undefined || hard === undefined) {
      issues.push({
        path: fieldPath(path, 'value'),
        message: `ulimit value "${entry.value}" is not N or soft:hard`,
        allowed: ULIMIT_VALUE_FORMS,
      });
    }
  } else {
    const limitIssues = (['soft', 'hard'] as const).flatMap((key) => {
      const problem = limitProblem(entry[key]);
      return problem === undefined
        ? []
        : [{path: fieldPath(path, key), message: problem, allowed: ULIMIT_VALUE_FORMS}];
    });
    issues.push(...limitIssues);
    if (limitIssues.length === 0) {
      soft = entry.soft;
      hard = entry.hard;
    }
  }
  if (soft !== undefined && hard !== undefined && softAboveHard(soft, hard)) {
    issues.push({
      path: fieldPath(path, seedForm ? 'value' : 'soft'),
      message: `soft limit ${soft} is above hard limit ${hard}`,
      allowed: ULIMIT_VALUE_FORMS,
    });
  }
  if (issues.length > 0 || soft === undefined || hard === undefined) return issues;
  return {name, soft, hard};
}
