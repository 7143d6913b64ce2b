/**
Checks on the files a task writes into its container between create and start (the seed's LOCALFILE messages).
*/
import type {ValidationIssue} from '../errors.js';
import {fieldPath, indexPath} from './issue-path.js';
import type {BcsFileMessage} from './types.js';

/** Standard base64 with padding, as the seed's Go `base64.StdEncoding` wanted. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const OCTAL_MODE = /^[0-7]{3,4}$/;

function fileIssues(file: BcsFileMessage, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!file.to.startsWith('/') || file.to.endsWith('/')) {
    issues.push({
      path: fieldPath(path, 'to'),
      message: `"${file.to}" is not an absolute file path`,
      allowed: 'an absolute path to a file, e.g. /etc/app.conf',
    });
  }
  if (!BASE64.test(file.base64)) {
    issues.push({
      path: fieldPath(path, 'base64'),
      message: 'content is not valid base64',
      allowed: 'standard base64 with padding',
    });
  }
  if (file.mode !== undefined && !OCTAL_MODE.test(file.mode)) {
    issues.push({
      path: fieldPath(path, 'mode'),
      message: `mode "${file.mode}" is not octal`,
      allowed: 'e.g. 0644, 755',
    });
  }
  return issues;
}

/** Every problem of `bcsMessages`: absolute `to`, valid base64 content, octal mode. */
export function validateFiles(files: readonly BcsFileMessage[], path: string): ValidationIssue[] {
  return files.flatMap((file, index) => fileIssues(file, indexPath(path, index)));
}
