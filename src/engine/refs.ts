/**
Refs, as every face writes them (engine.ts): a pod is its name or its infra container's id (full, or a unique
prefix of at least 4 characters); a container is its Docker id (or unique prefix), its Docker name, or
`POD/CONTAINER` (the spec name, or `infra`). Resolution reads the engine's cache of managed containers only:
the engine answers for its pods, not for every container on the host.
*/
import {EngineError} from '../errors.js';
import {readMemberLabels, type MemberLabels} from '../pod/labels.js';
import type {ContainerDetails} from '../runtime/port.js';
import type {ContainerCache} from './container-cache.js';

/** The shortest id prefix accepted. */
export const MIN_PREFIX_LENGTH = 4;

function notFound(kind: 'pod' | 'container', ref: string): EngineError {
  return new EngineError('NOT_FOUND', `no ${kind} ${JSON.stringify(ref)}`, {details: {resource: kind, ref}});
}

function ambiguous(kind: 'pod' | 'container', ref: string, matches: readonly string[]): EngineError {
  return new EngineError(
    'VALIDATION',
    `${kind} ref ${JSON.stringify(ref)} matches ${matches.length} ${kind}s: ${matches.join(', ')}`,
    {
      details: {
        resource: kind,
        ref,
        matches: [...matches],
        issues: [{path: 'ref', message: `matches ${matches.length} ${kind}s`}],
      },
    },
  );
}

function isIdPrefix(ref: string): boolean {
  return ref.length >= MIN_PREFIX_LENGTH && /^[0-9a-f]+$/.test(ref);
}

/** The name of the pod `ref` names. */
export function resolvePodName(cache: ContainerCache, ref: string): string {
  if (ref === '') throw notFound('pod', ref);
  if (cache.ofPod(ref).length > 0) return ref;
  if (!isIdPrefix(ref)) throw notFound('pod', ref);
  const infras = cache.all().filter((details) => readMemberLabels(details.labels)?.role === 'infra');
  const exact = infras.find((details) => details.id === ref);
  const matches = exact === undefined ? infras.filter((details) => details.id.startsWith(ref)) : [exact];
  const names = [...new Set(matches.map((details) => readMemberLabels(details.labels)?.pod ?? ''))];
  if (names.length > 1) throw ambiguous('pod', ref, names);
  const [name] = names;
  if (name === undefined) throw notFound('pod', ref);
  return name;
}

/** A resolved container and its place in its pod. */
export interface ResolvedMember {
  readonly details: ContainerDetails;
  readonly member: MemberLabels;
}

/** The container `ref` names, with what its labels say about its pod. */
export function resolveMember(cache: ContainerCache, ref: string): ResolvedMember {
  const all = cache.all();
  const withMember = (details: ContainerDetails | undefined): ResolvedMember | undefined => {
    const member = details === undefined ? undefined : readMemberLabels(details.labels);
    return details === undefined || member === undefined ? undefined : {details, member};
  };
  const byId = withMember(cache.get(ref));
  if (byId !== undefined) return byId;
  const name = ref.startsWith('/') ? ref.slice(1) : ref;
  const byName = withMember(all.find((details) => details.name === name));
  if (byName !== undefined) return byName;
  const slash = ref.indexOf('/');
  if (slash > 0) {
    const pod = ref.slice(0, slash);
    const container = ref.slice(slash + 1);
    const found = cache
      .ofPod(pod)
      .map(withMember)
      .find((entry) => entry?.member.container === container);
    if (found !== undefined) return found;
    throw notFound('container', ref);
  }
  if (!isIdPrefix(ref)) throw notFound('container', ref);
  const matches = all.filter((details) => details.id.startsWith(ref));
  if (matches.length > 1)
    throw ambiguous(
      'container',
      ref,
      matches.map((details) => details.name),
    );
  const found = withMember(matches[0]);
  if (found === undefined) throw notFound('container', ref);
  return found;
}
