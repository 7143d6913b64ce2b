/**
The pod spec from text, as every face receives it: JSON or YAML, validated completely before anything runs.
*/
import {validationError} from '../../errors.js';
import type {PodSpec} from '../spec-types.js';
import {decodeSpecText, type SpecFormat} from './decode.js';
import {validatePodSpec} from './validate.js';

export type {SpecFormat} from './decode.js';
export {validatePodSpec, type PodSpecValidation} from './validate.js';

/**
Parses and validates a pod spec. Throws a VALIDATION EngineError (`details.issues`) listing every problem with
its path: syntax errors with line and column, then unknown fields, types, ranges and the pod and task rules.
*/
export function parsePodSpec(text: string, format: SpecFormat = 'auto'): PodSpec {
  const decoded = decodeSpecText(text, format);
  if ('issues' in decoded) throw validationError(decoded.issues, 'pod spec');
  const result = validatePodSpec(decoded.value);
  if ('issues' in result) throw validationError(result.issues, 'pod spec');
  return result.spec;
}
