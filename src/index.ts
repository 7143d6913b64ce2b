/**
The engine's public API: the only module ui/, rpc/ and bin/ import.
*/
export * from './constants.js';
export * from './errors.js';
export type * from './runtime/port.js';
export type * from './task/types.js';
export * from './archive/tar.js';
export * from './images/local-images.js';
export * from './images/static-binary.js';
export * from './runtime/docker/index.js';
export * from './health/checker.js';
export type * from './health/checker-types.js';
export * from './health/clock.js';
export * from './health/from-spec.js';
export * from './health/split-argv.js';
export * from './health/validate.js';
export type {Probe, ProbeOptions, ProbeResult} from './health/probe.js';
export type {CommandRunner, CommandRunOptions, CommandRunResult} from './health/command-probe.js';
export {dedupeEnv, envOperCopy} from './task/env-oper-copy.js';
export {
  IMAGE_REFERENCE_FORM,
  imageReferenceIssues,
  parseImageReference,
  withDefaultTag,
} from './images/reference.js';
export type {ImageReference} from './images/reference.js';
export {
  assertValidTask,
  BCS_CONTAINER_TASK_FIELDS,
  unknownFieldIssues,
  validateResource,
  validateTask,
  validateTaskResources,
} from './task/validate.js';
export {ULIMIT_NAMES} from './task/ulimits.js';
export {taskToCreateSpec} from './task/to-create-spec.js';
export {inspectToBcsInfo, toBcsInfoJson, updateBcsInfo} from './task/from-inspect.js';
export type {BcsInfoJson, BcsPortJson} from './task/from-inspect.js';
export {resourceToUpdate, taskResourcesToUpdate} from './task/update-resources.js';
export {cniAdd, cniDel} from './network/cni/cni-network.js';
export type {CniAddResult, CniDelOptions, CniNetworkOptions} from './network/cni/cni-network.js';
export {describeNetns} from './network/cni/describe-netns.js';
export {formatCniArgs, netArgs} from './network/cni/net-args.js';
export type {CniArg, NetArgsInput} from './network/cni/net-args.js';
export {findCniNetwork, loadCniConfDir, loadCniConfFile} from './network/cni/conf.js';
export type {CniConfDirContents, CniConfProblem} from './network/cni/conf.js';
export {findCniPlugin} from './network/cni/plugin-path.js';
export {egressBandwidth} from './network/cni/bandwidth.js';
export {
  DEFAULT_CNI_CONF_DIR,
  DEFAULT_CNI_IFNAME,
  DEFAULT_CNI_PLUGIN_DIRS,
  DEFAULT_CNI_PLUGIN_TIMEOUT_MS,
} from './network/cni/defaults.js';
export type * from './network/cni/types.js';
export type * from './engine/engine.js';
export * from './engine/types.js';
export type * from './pod/spec-types.js';
export {parsePodSpec, validatePodSpec} from './pod/spec/parse.js';
export type {PodSpecValidation, SpecFormat} from './pod/spec/parse.js';
export {podSpecJsonSchema} from './pod/spec/json-schema.js';
export {dockerContainerName, secretEnvKeys, specToTasks} from './pod/spec/to-tasks.js';
export {infraSettings} from './pod/spec/infra-settings.js';
export type {InfraDns, InfraSettings} from './pod/spec/infra-settings.js';
export {canonicalSpec, specHash} from './pod/spec/hash.js';
export {maskSpec, SECRET_MASK} from './pod/spec/mask.js';
export {
  DEFAULT_GRACE_SECONDS,
  DEFAULT_RESTART_POLICY,
  HEALTH_CHECK_DEFAULTS,
  infraImageOf,
  networkOf,
} from './pod/spec/defaults.js';
export {DockerContainer} from './container/docker-container.js';
export type {DockerContainerOptions} from './container/docker-container.js';
export type * from './container/container.js';
export {MANAGED_LABEL_VALUE} from './container/create-container.js';
export {DEFAULT_EXEC_TIMEOUT_MS, execCommand} from './container/exec-command.js';
export type {ExecCommandOptions, ExecCommandResult} from './container/exec-command.js';
export {EXEC_MARKER_ENV} from './container/exec-kill.js';
export {capUtf8} from './container/utf8-cap.js';
export {DEMO_POD_YAML, demoPodSpec} from './pod/demo-pod.js';
export {createEngine} from './engine/create-engine.js';
export type {CreateEngineOptions} from './engine/engine-core.js';
export {EngineEventBus} from './events/event-bus.js';
export {BcsPod} from './pod/bcs-pod.js';
export type {BcsPodOptions} from './pod/bcs-pod.js';
export type {Pod} from './pod/pod.js';
export type {ContainerEventCallback, PodCniOptions, PodEventHandler, PodNetwork} from './pod/pod-config.js';
export {newPod, podConfigFromSpec} from './pod/new-pod.js';
export type {NewPodOptions, PodDeps} from './pod/new-pod.js';
export {derivePodStatus, policyRestarts} from './pod/derive-status.js';
export type {AppMemberState, DeriveInput, DerivedStatus, MemberState} from './pod/derive-status.js';
export {POD_LABELS} from './pod/labels.js';
