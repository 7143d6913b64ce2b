import type {ContainerView, PodView} from '../../src/index.js';
import type {TextState} from '../hooks/use-detail-text.js';
import type {ScreenData} from '../model/screen-data.js';
import type {ViewState} from '../model/view-state.js';
import {EventsTab} from './EventsTab.js';
import {ExecTab} from './ExecTab.js';
import {HealthTab} from './HealthTab.js';
import {LogView} from './LogView.js';
import {StatsTab} from './StatsTab.js';
import {TextTab} from './TextTab.js';

type Props = {
  readonly view: ViewState;
  readonly screen: ScreenData;
  readonly text: TextState;
  readonly height: number;
  readonly width: number;
};

/** The body of the current detail tab. */
export function DetailBody({view, screen, text, height, width}: Props) {
  const {pod, container} = screen;
  switch (view.tab) {
    case 'logs':
      if (pod === undefined || screen.logs === null) {
        return <TextTab lines={['(no pod selected)']} error={null} height={height} scroll={0} />;
      }
      return (
        <LogView
          lines={screen.logs.lines}
          height={height}
          follow={view.follow}
          scroll={view.logScroll}
          timestamps={view.timestamps}
          merged={view.logScope === 'pod'}
          search={view.search}
          ended={screen.logs.ended}
          error={screen.logs.error}
        />
      );
    case 'stats':
      return (
        <StatsTab
          containers={screen.containerRows}
          stats={screen.stats}
          selected={container?.name ?? null}
          width={width}
          height={height}
        />
      );
    case 'health':
      return <HealthTab container={container} height={height} scroll={view.detailScroll} />;
    case 'spec':
    case 'inspect':
      return <TextTab lines={text.lines} error={text.error} height={height} scroll={view.detailScroll} />;
    case 'events':
      return <EventsTab activity={screen.activity ?? []} height={height} scroll={view.detailScroll} />;
    case 'exec':
      return <ExecTab exec={screen.exec} height={height} scroll={view.detailScroll} />;
  }
}

/** What the detail pane's title says after the tab names. */
export function detailSubtitle(
  view: ViewState,
  pod: PodView | undefined,
  container: ContainerView | undefined,
  logCount: number,
  matches: number,
): string {
  const containerName = container === undefined ? '-' : `${container.pod}/${container.name}`;
  switch (view.tab) {
    case 'logs': {
      const what = view.logScope === 'pod' ? `pod ${pod?.name ?? '-'} (merged)` : containerName;
      const flags = [
        view.search === '' ? '' : `/${view.search} ${matches} match${matches === 1 ? '' : 'es'}`,
        view.follow ? 'following' : 'paused',
        `${logCount} lines`,
        view.timestamps ? 'timestamps' : '',
      ].filter((flag) => flag !== '');
      return `${what} · ${flags.join(' · ')}`;
    }
    case 'stats':
      return `pod ${pod?.name ?? '-'} (rows on screen)`;
    case 'health':
    case 'inspect':
      return containerName;
    case 'spec':
      return `pod ${pod?.name ?? '-'}`;
    case 'events':
      return 'engine, Docker and this TUI';
    case 'exec':
      return 'one-off command';
  }
}
