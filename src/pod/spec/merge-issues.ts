/**
Joins the issues of the spec's own checks with those the task validator found on the converted spec. A rule
can be seen from both sides (a health check is checked as written and again inside its task), so a task issue
on a path the spec checks already flagged, or above or below it, would only repeat the same problem.
*/
import type {ValidationIssue} from '../../errors.js';

function within(path: string, ancestor: string): boolean {
  if (ancestor === '') return true;
  if (!path.startsWith(ancestor)) return false;
  const next = path.charAt(ancestor.length);
  return next === '' || next === '.' || next === '[';
}

/** `primary`, then each `secondary` issue whose path is clear of every primary path; exact repeats dropped. */
export function mergeIssues(
  primary: readonly ValidationIssue[],
  secondary: readonly ValidationIssue[],
): ValidationIssue[] {
  const flagged = primary.map((issue) => issue.path);
  const clear = secondary.filter(
    (issue) => !flagged.some((path) => within(issue.path, path) || within(path, issue.path)),
  );
  const seen = new Set<string>();
  return [...primary, ...clear].filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
