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
