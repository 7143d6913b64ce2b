import type {UiActivity} from '../store/tui-store.js';
import type {ColorName} from '../theme.js';
import {fit, formatClock} from '../model/format.js';
import {Line} from './Line.js';

type Props = {
  readonly activity: readonly UiActivity[];
  readonly height: number;
  /** Lines scrolled up from the newest. */
  readonly scroll: number;
};

const SOURCE_COLOR: Record<UiActivity['source'], ColorName> = {
  engine: 'blue',
  docker: 'magenta',
  user: 'cyan',
  tui: 'cyan',
};

/** The events tab: what the engine and Docker did, and what this TUI did; newest at the bottom. */
export function EventsTab({activity, height, scroll}: Props) {
  if (activity.length === 0) return <Line spans={[{text: '  (nothing happened yet)', dim: true}]} />;
  const end = Math.max(0, activity.length - Math.max(0, scroll));
  const start = Math.max(0, end - height);
  return (
    <>
      {activity.slice(start, end).map((item, i) => {
        const where =
          item.pod === undefined
            ? ''
            : `${item.pod}${item.container === undefined ? '' : `/${item.container}`}: `;
        return (
          <Line
            key={start + i}
            spans={[
              {text: `${formatClock(item.at)} `, dim: true},
              {text: fit(item.source, 6), color: SOURCE_COLOR[item.source]},
              {
                text: ` ${where}${item.message.replace(/\s+/g, ' ')}`,
                ...(item.level === 'error'
                  ? {color: 'red' as const}
                  : item.level === 'warn'
                    ? {color: 'yellow' as const}
                    : {}),
              },
            ]}
          />
        );
      })}
    </>
  );
}
