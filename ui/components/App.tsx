import {useMemo} from 'react';
import {Box, useStdout} from 'ink';
import type {Engine} from '../../src/index.js';
import {useActions} from '../hooks/use-actions.js';
import {useClock} from '../hooks/use-clock.js';
import {useDetailText} from '../hooks/use-detail-text.js';
import {useEngineFeed} from '../hooks/use-engine-feed.js';
import {useKeys} from '../hooks/use-keys.js';
import {useLogFollow} from '../hooks/use-log-follow.js';
import type {TerminalSize} from '../hooks/use-terminal-size.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {useTuiSnapshot} from '../hooks/use-tui-store.js';
import {useViewState} from '../hooks/use-view-state.js';
import {useVisibleStats} from '../hooks/use-visible-stats.js';
import {footerKeys} from '../model/keymap.js';
import {computeLayout} from '../model/layout.js';
import {matchingLines} from '../model/log-lines.js';
import {select, windowStart} from '../model/select.js';
import type {SpecSources, TuiSession} from '../session.js';
import type {TuiStore} from '../store/tui-store.js';
import {ContainersPane} from './ContainersPane.js';
import {DetailBody, detailSubtitle} from './DetailBody.js';
import {DetailPane} from './DetailPane.js';
import {execLines} from './ExecTab.js';
import {Footer} from './Footer.js';
import {Header} from './Header.js';
import {HelpOverlay} from './HelpOverlay.js';
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

/** The whole screen: header, pods, containers, detail, status line, footer; exactly rows - 1 lines. */
export function App({engine, store, session, specs, size: fixedSize, statsIntervalMs}: Props) {
  const {stdout} = useStdout();
  const size = useTerminalSize(stdout, fixedSize);
  const snapshot = useTuiSnapshot(store);
  const [view, dispatch, viewRef] = useViewState(session);
  useEngineFeed(engine, store);
  const selection = useMemo(() => select(snapshot.pods, view), [snapshot.pods, view]);
  const layout = computeLayout(size.rows, size.columns, selection.containers.length);

  const podBody = layout.pods - 1;
  const podStart = windowStart(selection.podIndex, view.podOffset, podBody, selection.pods.length);
  const podRows = selection.pods.slice(podStart, podStart + podBody);
  const containerBody = layout.containers - 1;
  const containerStart = windowStart(
    selection.containerIndex,
    view.containerOffset,
    containerBody,
    selection.containers.length,
  );
  const containerRows = selection.containers.slice(containerStart, containerStart + containerBody);

  // Stats only for the running container rows on screen.
  useVisibleStats(
    engine,
    store,
    containerRows.filter((c) => c.status === 'running' && c.id !== '').map((c) => c.id),
    statsIntervalMs === undefined ? {} : {intervalMs: statsIntervalMs},
  );
  useLogFollow(engine, store, view.tab === 'logs' ? logTargetOf(view, selection) : null);
  const text = useDetailText(engine, textRequestOf(view, selection));
  const now = useClock(youngestAge(podRows, containerRows, Date.now()) < 120_000 ? 1000 : 15_000);
  const actions = useActions(engine, store, dispatch, specs);

  const matches = useMemo(
    () => (view.search === '' ? 0 : matchingLines(snapshot.logs.lines, view.search).length),
    [snapshot.logs.lines, view.search],
  );
  const detailLength =
    view.tab === 'events'
      ? snapshot.activity.length
      : view.tab === 'exec'
        ? snapshot.exec === null
          ? 0
          : execLines(snapshot.exec).length
        : view.tab === 'health'
          ? (selection.container?.health?.history.length ?? 0)
          : (text.lines?.length ?? 0);
  useKeys(viewRef, {
    pods: snapshot.pods,
    dispatch,
    layout,
    logLines: snapshot.logs.lines,
    detailLength,
    actions,
    session,
    store,
  });

  const all = snapshot.pods.flatMap((pod) => pod.containers);
  const panes = layout.pods + layout.containers + layout.detail;
  return (
    <Box flexDirection="column" width={layout.columns} height={layout.frame} overflow="hidden">
      <Header
        connection={snapshot.connection}
        serverVersion={snapshot.serverVersion}
        pods={snapshot.pods.length}
        runningPods={snapshot.pods.filter((pod) => pod.status === 'running').length}
        containers={all.length}
        runningContainers={all.filter((c) => c.status === 'running').length}
      />
      {view.help !== null ? (
        <HelpOverlay height={panes} width={layout.columns} scroll={view.help} />
      ) : (
        <>
          <PodsPane
            pods={podRows}
            start={podStart}
            total={selection.pods.length}
            selected={selection.podIndex}
            focused={view.focus === 'pods'}
            marks={view.marks.pods}
            height={layout.pods}
            width={layout.columns}
            now={now}
            filter={view.filter}
            sort={view.sort}
            empty={emptyPodsText(snapshot, view.filter)}
          />
          <ContainersPane
            pod={selection.pod}
            containers={containerRows}
            start={containerStart}
            total={selection.containers.length}
            selected={selection.containerIndex}
            focused={view.focus === 'containers'}
            marks={view.marks.containers}
            stats={snapshot.stats}
            height={layout.containers}
            width={layout.columns}
            now={now}
          />
          <DetailPane
            tab={view.tab}
            focused={view.focus === 'detail'}
            subtitle={detailSubtitle(
              view,
              selection.pod,
              selection.container,
              snapshot.logs.lines.length,
              matches,
            )}
            height={layout.detail}
            width={layout.columns}
          >
            <DetailBody
              view={view}
              snapshot={snapshot}
              pod={selection.pod}
              container={selection.container}
              visibleContainers={containerRows}
              text={text}
              height={layout.detail - 1}
              width={layout.columns}
            />
          </DetailPane>
        </>
      )}
      <StatusLine
        prompt={view.prompt}
        execTarget={
          selection.container === undefined ? '-' : `${selection.container.pod}/${selection.container.name}`
        }
        confirm={view.confirm}
        message={snapshot.message}
      />
      <Footer
        keys={
          view.help !== null ? ['j/k scroll', 'Esc close'] : footerKeys({focus: view.focus, tab: view.tab})
        }
      />
    </Box>
  );
}
