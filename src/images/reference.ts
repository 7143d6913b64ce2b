/**
Docker image references, parsed the way the daemon does (distribution/reference `ParseNormalizedNamed`).

The seed split references by hand: it dropped digests and sent an empty tag for `nginx`, which made Docker pull
every tag (seed-spec §2 PullImage, §7 cases 21-23). Here an untagged name means `:latest` and a digest is kept.
*/
import {validationError, type ValidationIssue} from '../errors.js';

/** A parsed image reference. */
export interface ImageReference {
  /** Registry host with optional port; `docker.io` for Docker Hub. */
  readonly registry: string;
  /** Repository path inside the registry, e.g. `library/nginx`. */
  readonly path: string;
  /** The tag: as written, or `latest` when neither a tag nor a digest was given. */
  readonly tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  readonly digest?: string;
  /** Fully qualified: `docker.io/library/nginx:latest`. */
  readonly normalized: string;
  /** As `docker images` shows it: `nginx:latest`, `localhost:5000/app:1`. */
  readonly familiar: string;
  /** What to pull: by digest when there is one (a tag beside a digest only names it), else by tag. */
  readonly pullRef: string;
}

const DOCKER_HUB = 'docker.io';
const NAME_MAX_LENGTH = 255;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = {sha256: 64, sha384: 96, sha512: 128};
const IMAGE_ID = /^(?:sha256:)?[a-f0-9]{64}$/;

export const IMAGE_REFERENCE_FORM = '[registry[:port]/]path[:tag][@sha256:<64 hex>]';

interface Parsed {
  readonly reference: ImageReference;
  /** Whether the input itself named a tag or a digest. */
  readonly pinned: boolean;
}

function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  const algorithm = colon < 0 ? '' : digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) return `digest "${digest}" must be sha256:, sha384: or sha512: followed by hex`;
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
    return `digest "${digest}" must have ${length} lower-case hex characters after "${algorithm}:"`;
  }
  return undefined;
}

/** Splits off the registry as Docker does: the first component is one if it has `.` or `:`, is `localhost`, or has upper case. */
function splitRegistry(name: string): {registry: string; path: string; explicit: boolean} {
  const slash = name.indexOf('/');
  const first = name.slice(0, slash);
  const isRegistry =
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first);
  if (!isRegistry) return {registry: DOCKER_HUB, path: name, explicit: false};
  const registry = first === 'index.docker.io' ? DOCKER_HUB : first;
  return {registry, path: name.slice(slash + 1), explicit: true};
}

function pathProblem(path: string): string | undefined {
  for (const component of path.split('/')) {
    if (PATH_COMPONENT.test(component)) continue;
    if (component === '') return `repository path "${path}" has an empty component`;
    if (PATH_COMPONENT.test(component.toLowerCase())) return `repository name "${path}" must be lower case`;
    return `repository path component "${component}" may hold only a-z, 0-9 and single separators (. _ __ -)`;
  }
  return undefined;
}

function analyse(input: string): Parsed | string {
  if (input === '') return 'is empty';
  if (/\s/.test(input)) return 'must not contain whitespace';
  if (IMAGE_ID.test(input)) return 'is an image id; give a name (path[:tag][@digest])';

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digestProblem(digest);
    if (problem !== undefined) return problem;
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return `tag "${tag}" must be 1-128 of A-Z a-z 0-9 _ . - and not start with . or -`;
  }

  if (rest === '') return 'has no repository name';
  if (rest.length > NAME_MAX_LENGTH) return `repository name must be at most ${NAME_MAX_LENGTH} characters`;
  const split = splitRegistry(rest);
  if (split.explicit && !DOMAIN.test(split.registry))
    return `registry "${split.registry}" is not a host[:port]`;
  const pathError = pathProblem(split.path);
  if (pathError !== undefined) return pathError;

  const path =
    split.registry === DOCKER_HUB && !split.path.includes('/') ? `library/${split.path}` : split.path;
  const name = `${split.registry}/${path}`;
  const effectiveTag = tag ?? (digest === undefined ? 'latest' : undefined);
  const suffix =
    (effectiveTag === undefined ? '' : `:${effectiveTag}`) + (digest === undefined ? '' : `@${digest}`);
  let familiarName = name;
  if (split.registry === DOCKER_HUB) {
    const short = path.startsWith('library/') && path.split('/').length === 2 ? path.slice(8) : path;
    // Without its registry, `docker.io/my.org/app` would read back as registry `my.org`.
    if (!splitRegistry(short).explicit) familiarName = short;
  }
  const reference: ImageReference = {
    registry: split.registry,
    path,
    ...(effectiveTag === undefined ? {} : {tag: effectiveTag}),
    ...(digest === undefined ? {} : {digest}),
    normalized: name + suffix,
    familiar: familiarName + suffix,
    pullRef: digest === undefined ? `${name}:${effectiveTag ?? 'latest'}` : `${name}@${digest}`,
  };
  return {reference, pinned: tag !== undefined || digest !== undefined};
}

/** Problems with `ref` as an image reference, each at `path` (empty when it is well formed). */
export function imageReferenceIssues(ref: string, path: string): ValidationIssue[] {
  const result = analyse(ref);
  if (typeof result !== 'string') return [];
  return [{path, message: `image reference "${ref}" ${result}`, allowed: IMAGE_REFERENCE_FORM}];
}

function parse(ref: string): Parsed {
  const result = analyse(ref);
  if (typeof result === 'string') {
    throw validationError(
      [{path: 'image', message: `image reference "${ref}" ${result}`, allowed: IMAGE_REFERENCE_FORM}],
      'image reference',
    );
  }
  return result;
}

/** Parses and normalizes an image reference; throws a VALIDATION EngineError when it is malformed. */
export function parseImageReference(ref: string): ImageReference {
  return parse(ref).reference;
}

/** `ref` with `:latest` appended when it names neither a tag nor a digest, spelled as given otherwise. Throws like `parseImageReference`. */
export function withDefaultTag(ref: string): string {
  return parse(ref).pinned ? ref : `${ref}:latest`;
}
