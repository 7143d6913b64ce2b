import {useMemo} from 'react';
import {Box, useStdout} from 'ink';
import type {Engine} from '../../src/index.js';
import {useActions} from '../hooks/use-actions.js';
import {useClock} from '../hooks/use-clock.js';
import {useDetailText} from '../hooks/use-detail-text.js';
import {useEngineFeed} from '../hooks/use-engine-feed.js';
import {useKeys} from '../hooks/use-keys.js';
import {useLogFollow} from '../hooks/use-log-follow.js';
import {useScreenData} from '../hooks/use-screen-data.js';
import type {TerminalSize} from '../hooks/use-terminal-size.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {useViewState} from '../hooks/use-view-state.js';
import {useVisibleStats} from '../hooks/use-visible-stats.js';
import {footerKeys} from '../model/keymap.js';
import {matchingLines} from '../model/log-lines.js';
import type {SpecSources, TuiSession} from '../session.js';
import type {TuiStore} from '../store/tui-store.js';
import {ContainersPane} from './ContainersPane.js';
import {DetailBody, detailSubtitle} from './DetailBody.js';
import {DetailPane} from './DetailPane.js';
import {execLines} from './ExecTab.js';
import {Footer} from './Footer.js';
import {Header} from './Header.js';
import {HelpOverlay} from './HelpOverlay.js';
import {LineWidth} from './Line.js';
import {PodsPane} from './PodsPane.js';
import {StatusLine} from './StatusLine.js';
import {emptyPodsText, logTargetOf, textRequestOf, youngestAge} from './app-model.js';

type Props = {
  readonly engine: Engine;
  readonly store: TuiStore;
  readonly session: TuiSession;
  readonly specs: SpecSources;
  /** A fixed size (tests); else stdout's, following resizes. */
  readonly size?: TerminalSize;
  readonly statsIntervalMs?: number;
};

const NO_LINES: readonly never[] = [];

/** The whole screen: header, pods, containers, detail, status line, footer; exactly rows - 1 lines. */
export function App({engine, store, session, specs, size: fixedSize, statsIntervalMs}: Props) {
  const {stdout} = useStdout();
  const size = useTerminalSize(stdout, fixedSize);
  const [view, dispatch, viewRef] = useViewState(session);
  useEngineFeed(engine, store);
  const screen = useScreenData(store, view, size);
  const {layout, pod, container, containerRows, podRows} = screen;

  // Stats only for the running container rows on screen.
  useVisibleStats(
    engine,
    store,
    containerRows.filter((c) => c.status === 'running' && c.id !== '').map((c) => c.id),
    statsIntervalMs === undefined ? {} : {intervalMs: statsIntervalMs},
  );
  useLogFollow(engine, store, view.tab === 'logs' ? logTargetOf(view, pod, container) : null);
  const text = useDetailText(engine, textRequestOf(view, pod, container));
  // Ages show seconds only under a minute: otherwise a slow clock, so an idle screen rarely redraws.
  const now = useClock(youngestAge(podRows, containerRows, Date.now()) < 60_000 ? 1000 : 10_000);
  const actions = useActions(engine, store, dispatch, specs);

  const logLines = screen.logs?.lines ?? NO_LINES;
  const matches = useMemo(
    () => (view.search === '' ? 0 : matchingLines(logLines, view.search).length),
    [logLines, view.search],
  );
  const detailLength =
    view.tab === 'events'
      ? (screen.activity?.length ?? 0)
      : view.tab === 'exec'
        ? screen.exec === null
          ? 0
          : execLines(screen.exec).length
        : view.tab === 'health'
          ? (container?.health?.history.length ?? 0)
          : (text.lines?.length ?? 0);
  useKeys(viewRef, {dispatch, layout, detailLength, actions, session, store});

  const panes = layout.pods + layout.containers + layout.detail;
  return (
    <LineWidth.Provider value={layout.columns}>
      <Box flexDirection="column" width={layout.columns} height={layout.frame} overflowY="hidden">
        <Header
          connection={screen.connection}
          serverVersion={screen.serverVersion}
          pods={screen.podCount}
          runningPods={screen.runningPods}
          containers={screen.containerCount}
          runningContainers={screen.runningContainers}
        />
        {view.help !== null ? (
          <HelpOverlay height={panes} width={layout.columns} scroll={view.help} />
        ) : (
          <>
            <PodsPane
              pods={podRows}
              start={screen.podStart}
              total={screen.podTotal}
              selected={screen.podIndex}
              focused={view.focus === 'pods'}
              marks={view.marks.pods}
              height={layout.pods}
              width={layout.columns}
              now={now}
              filter={view.filter}
              sort={view.sort}
              empty={emptyPodsText(screen, view.filter)}
            />
            <ContainersPane
              pod={pod}
              containers={containerRows}
              start={screen.containerStart}
              total={screen.containers.length}
              selected={screen.containerIndex}
              focused={view.focus === 'containers'}
              marks={view.marks.containers}
              stats={screen.stats}
              height={layout.containers}
              width={layout.columns}
              now={now}
            />
            <DetailPane
              tab={view.tab}
              focused={view.focus === 'detail'}
              subtitle={detailSubtitle(view, pod, container, logLines.length, matches)}
              height={layout.detail}
              width={layout.columns}
            >
              <DetailBody
                view={view}
                screen={screen}
                text={text}
                height={layout.detail - 1}
                width={layout.columns}
              />
            </DetailPane>
          </>
        )}
        <StatusLine
          prompt={view.prompt}
          execTarget={container === undefined ? '-' : `${container.pod}/${container.name}`}
          confirm={view.confirm}
          message={screen.message}
        />
        <Footer
          keys={
            view.help !== null ? ['j/k scroll', 'Esc close'] : footerKeys({focus: view.focus, tab: view.tab})
          }
        />
      </Box>
    </LineWidth.Provider>
  );
}
