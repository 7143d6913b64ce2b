/**
Spec text to a value: YAML (which also reads JSON) or strict JSON. Syntax errors become issues that say where
(line and column) and what, without quoting the source, which may hold secrets.
*/
import {LineCounter, parseDocument} from 'yaml';
import type {ValidationIssue} from '../../errors.js';

export type SpecFormat = 'json' | 'yaml' | 'auto';

export type Decoded = {readonly value: unknown} | {readonly issues: readonly ValidationIssue[]};

/** Aliases may repeat a node this many times in all; more is a "billion laughs" document, not a pod spec. */
const MAX_ALIAS_COUNT = 100;

const YAML_MESSAGES: Readonly<Record<string, string>> = {
  MULTIPLE_DOCS: 'the text holds more than one YAML document; a pod spec is one document',
  DUPLICATE_KEY: 'this key is given twice in the same map',
};

function located(line: number, column: number, message: string): ValidationIssue {
  return {path: '', message: `line ${line}, column ${column}: ${message}`};
}

function decodeYaml(text: string): Decoded {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true});
  if (document.errors.length > 0) {
    return {
      issues: document.errors.map((error) => {
        const {line, col} = lineCounter.linePos(error.pos[0]);
        return located(line, col, YAML_MESSAGES[error.code] ?? error.message);
      }),
    };
  }
  try {
    return {value: document.toJS({maxAliasCount: MAX_ALIAS_COUNT})};
  } catch (error) {
    // toJS throws only for alias abuse (ReferenceError), which has no single position worth reporting.
    return {issues: [{path: '', message: `YAML: ${error instanceof Error ? error.message : String(error)}`}]};
  }
}

/** Where JSON.parse stopped: its "at position N", else the longest prefix that is still the start of valid JSON. */
function jsonErrorOffset(text: string, message: string): number {
  const stated = /at position (\d+)/.exec(message);
  if (stated !== null) return Number(stated[1]);
  if (message.includes('end of JSON input')) return text.length;
  const stillValid = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (error) {
      const inner = error instanceof Error ? error.message : '';
      const at = /at position (\d+)/.exec(inner);
      return inner.includes('end of JSON input') || (at !== null && Number(at[1]) >= length);
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (stillValid(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** V8's message without the quoted source snippet or the position (given as line and column instead). */
function jsonMessage(message: string): string {
  // "Unexpected token 'x', <a piece of the source> is not valid JSON": even the character may be a secret's.
  if (message.startsWith('Unexpected token')) return 'unexpected character';
  return message.replace(/ in JSON at position \d+.*$/s, '').replace(/,? ?".*$/s, '');
}

function decodeJson(text: string): Decoded {
  try {
    return {value: JSON.parse(text) as unknown};
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = Math.min(jsonErrorOffset(text, message), text.length);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return {issues: [located(line, column, jsonMessage(message))]};
  }
}

/** Decodes spec text; `auto` reads YAML, which accepts JSON too. */
export function decodeSpecText(text: string, format: SpecFormat = 'auto'): Decoded {
  return format === 'json' ? decodeJson(text) : decodeYaml(text);
}
