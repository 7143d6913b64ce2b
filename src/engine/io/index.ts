/**
The engine's I/O operations (logs, stats, exec, upload, commit, resources, images, top) as plain functions
over explicit dependencies ({@link IoDeps}); `createEngine` binds them to its runtime and resolvers.
*/
export {requirePodResolver} from './deps.js';
export type {IoDeps, ResolveContainer, ResolvedContainer, ResolvedPod, ResolvePod} from './deps.js';
export {containerLogs, podLogs} from './logs.js';
export {DEFAULT_LOG_MAX_BYTES, DEFAULT_LOG_TAIL} from './log-select.js';
export {DEFAULT_FOLLOW_BUFFER_LINES, followLogEvents, followLogs} from './follow-logs.js';
export type {FollowLogEvent, FollowLogsIoOptions} from './follow-logs.js';
export {containerStats, podStats, podTotals, toStatsView} from './stats.js';
export {DEFAULT_STATS_INTERVAL_MS, MIN_STATS_INTERVAL_MS, followStats} from './follow-stats.js';
export type {FollowStatsOptions} from './follow-stats.js';
export {cpuPercent, memoryPercent, memoryUsedBytes} from './cpu-percent.js';
export {exec, execInteractive} from './exec.js';
export {upload} from './upload.js';
export {commit} from './commit.js';
export type {CommitIoOptions} from './commit.js';
export {updateContainer} from './update-container.js';
export {inspectImage, listImages, pullImage, removeImage} from './images.js';
export {topContainer} from './top.js';
