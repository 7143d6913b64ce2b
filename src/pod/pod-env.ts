/**
The environment a pod gives each app container, in the seed's order (seed-spec §1.8): the task's own env, then
`BCS_ETH_NAME`, `BCS_CNI_NAME`, `BCS_NODE_IP`, `BCS_POD_ID`, then `BCS_CONTAINER_IP`; then `envOperCopy` once,
then duplicates dropped last-wins (the seed sent them to Docker, where the outcome depended on libc).
*/
import {DEFAULT_CNI_IFNAME} from '../network/cni/defaults.js';
import {dedupeEnv, envOperCopy} from '../task/env-oper-copy.js';
import type {BcsContainerTask, BcsKV} from '../task/types.js';

/** The values of the BCS_* variables a pod gives its apps. */
export interface PodEnvInput {
  /** BCS_POD_ID: the pod's name (the seed's executor id). */
  readonly podId: string;
  /** BCS_NODE_IP. */
  readonly nodeIp: string;
  /**
  BCS_CONTAINER_IP: the pod IP for every member (docker: the infra's address on its network, or the node IP on
  the host network; cni: the CNI result). The seed's CNM pods gave the node IP (§8 item 13).
  */
  readonly containerIp: string;
}

/** The seed's BCS_* entries, in its order. */
export function bcsEnv(input: PodEnvInput): BcsKV[] {
  return [
    {key: 'BCS_ETH_NAME', value: DEFAULT_CNI_IFNAME},
    {key: 'BCS_CNI_NAME', value: DEFAULT_CNI_IFNAME},
    {key: 'BCS_NODE_IP', value: input.nodeIp},
    {key: 'BCS_POD_ID', value: input.podId},
    {key: 'BCS_CONTAINER_IP', value: input.containerIp},
  ];
}

/**
A copy of `task` with the pod's env assembled: the BCS_* entries appended, `envOperCopy` run exactly once (so
`$BCS_CONTAINER_IP` resolves to the pod IP), and duplicates dropped last-wins. `task` is left untouched.
*/
export function withPodEnv(task: BcsContainerTask, input: PodEnvInput): BcsContainerTask {
  const env = [...(task.env ?? []).map((entry) => ({...entry})), ...bcsEnv(input)];
  const copy = {env};
  envOperCopy(copy);
  return {...task, env: dedupeEnv(copy.env)};
}
