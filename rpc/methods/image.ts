/** Image methods: list, inspect, pull (with $/progress), remove. */
import {z} from 'zod';
import type {ProgressEvent} from '../../src/index.js';
import {changedResult, force, imageRef, params, workDoneToken} from '../schema/common.js';
import {imageDetails, imageSummary} from '../schema/docker.js';
import {compact} from './compact.js';
import {
  CHANGE_IDEMPOTENT,
  defineMethod,
  DESTROY,
  ENGINE_ERRORS,
  READ,
  type WorkDoneProgress,
} from './define.js';

/** A pull's progress line as LSP work-done progress: the layer, its status, and a percentage when known. */
export function pullProgress(event: ProgressEvent): WorkDoneProgress {
  const parts = [event.id, event.status, event.progress].filter((part) => part !== undefined && part !== '');
  const percentage =
    event.current !== undefined && event.total !== undefined && event.total > 0
      ? Math.min(100, Math.round((event.current / event.total) * 100))
      : undefined;
  return {kind: 'report', message: parts.join(' '), ...compact({percentage})};
}

export const IMAGE_METHODS = {
  'image.list': defineMethod({
    name: 'image.list',
    summary: 'The images the container engine has.',
    params: params({}),
    result: z.object({images: z.array(imageSummary).readonly()}),
    hints: READ,
    errors: [...ENGINE_ERRORS],
    async handle(_p, ctx) {
      return {images: await (await ctx.engine()).listImages({signal: ctx.signal})};
    },
  }),

  'image.inspect': defineMethod({
    name: 'image.inspect',
    summary: 'One image (exact reference or id).',
    params: params({ref: imageRef}),
    result: imageDetails,
    hints: READ,
    errors: ['NotFound', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).inspectImage(p.ref, {signal: ctx.signal});
    },
  }),

  'image.pull': defineMethod({
    name: 'image.pull',
    summary:
      'Pulls an image; reports $/progress when given a workDoneToken. changed: false when it was up to date.',
    params: params({ref: imageRef, workDoneToken: workDoneToken.exactOptional()}),
    result: changedResult,
    hints: CHANGE_IDEMPOTENT,
    errors: ['ImagePullFailed', 'Validation', ...ENGINE_ERRORS],
    progress: true,
    async handle(p, ctx) {
      return (await ctx.engine()).pullImage(p.ref, {
        signal: ctx.signal,
        onProgress: (event) => {
          ctx.progress(pullProgress(event));
        },
      });
    },
  }),

  'image.remove': defineMethod({
    name: 'image.remove',
    summary:
      'Removes an image (force: even when a stopped container uses it). A missing image is changed: false.',
    params: params({ref: imageRef, force: force.exactOptional()}),
    result: changedResult,
    hints: DESTROY,
    errors: ['InvalidState', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).removeImage(p.ref, {signal: ctx.signal, ...compact({force: p.force})});
    },
  }),
};
