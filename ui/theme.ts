/**
Colours of the TUI. Chalk (under Ink) does not read `NO_COLOR`, so the TUI decides itself: with `NO_COLOR`
set (to anything but the empty string, per no-color.org) every colour is dropped, and emphasis falls back to
bold, inverse and dim, which are attributes, not colours.
*/
import {createContext, useContext} from 'react';
import type {ContainerView, PodStatus} from '../src/index.js';

/** Ink colour names the TUI uses. */
export type ColorName = 'green' | 'red' | 'yellow' | 'cyan' | 'blue' | 'magenta' | 'gray' | 'white';

export interface Theme {
  /** False under NO_COLOR: components then pass no colour at all. */
  readonly useColor: boolean;
  /** A colour, or undefined when colours are off. */
  readonly color: (name: ColorName) => ColorName | undefined;
}

/** Builds the theme from the environment (`NO_COLOR`). */
export function createTheme(env: Readonly<Record<string, string | undefined>> = process.env): Theme {
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  return {useColor: !noColor, color: (name) => (noColor ? undefined : name)};
}

/** The theme React context; components read it with {@link useTheme}. */
export const ThemeContext = createContext<Theme>(createTheme({}));

/** The current theme. */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** The colour that says how a pod is doing. */
export function podStatusColor(status: PodStatus): ColorName {
  switch (status) {
    case 'running':
      return 'green';
    case 'failed':
      return 'red';
    case 'init':
    case 'starting':
    case 'killing':
      return 'yellow';
    case 'finish':
      return 'cyan';
    default:
      return 'gray';
  }
}

/** The colour of a container's Docker status. */
export function containerStatusColor(status: ContainerView['status']): ColorName {
  switch (status) {
    case 'running':
      return 'green';
    case 'exited':
    case 'dead':
    case 'missing':
      return 'red';
    case 'restarting':
    case 'created':
    case 'removing':
    case 'paused':
      return 'yellow';
    default:
      return 'gray';
  }
}

/** The colour of a health state. */
export function healthColor(healthy: boolean | null): ColorName {
  if (healthy === null) return 'gray';
  return healthy ? 'green' : 'red';
}

/** A stable colour per container name in merged logs. */
export function sourceColor(name: string): ColorName {
  const palette: readonly ColorName[] = ['cyan', 'magenta', 'blue', 'yellow', 'green'];
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] ?? 'cyan';
}
