/**
The Docker adapter's public face: the runtime, its factory, endpoint resolution and the version constants.
Everything else in this directory is internal to the adapter.
*/
export {createDockerRuntime, DockerRuntime, type DockerRuntimeOptions} from './docker-runtime.js';
export {DEFAULT_ENDPOINT, parseEndpoint, resolveEndpoint, type ResolvedEndpoint} from './endpoint.js';
export {MAX_TESTED_API_VERSION, MIN_SUPPORTED_API_VERSION, negotiateApiVersion} from './api-version.js';
export {DEFAULT_PULL_INACTIVITY_MS} from './image-ops.js';
