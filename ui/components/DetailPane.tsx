import type {ReactNode} from 'react';
import {Box} from 'ink';
import type {DetailTab} from '../model/view-state.js';
import {DETAIL_TABS} from '../model/view-state.js';
import type {Span} from './Line.js';
import {Line} from './Line.js';

type Props = {
  readonly tab: DetailTab;
  readonly focused: boolean;
  /** What the tab shows (`logs of web/app, following`), after the tab names. */
  readonly subtitle: string;
  readonly height: number;
  readonly width: number;
  /** The tab's body: at most `height - 1` lines. */
  readonly children: ReactNode;
};

/** The detail pane: a line of tabs, then the current tab's body. */
export function DetailPane({tab, focused, subtitle, height, width, children}: Props) {
  const spans: Span[] = [{text: focused ? '▌' : ' ', bold: true}];
  // Tab names only (their number keys are in the footer and the help): the subtitle needs the room.
  for (const name of DETAIL_TABS) {
    spans.push({text: ' '});
    spans.push({text: name, ...(name === tab ? {inverse: true, bold: true} : {dim: true})});
  }
  spans.push({text: `  ${subtitle}`, color: 'cyan'});
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      <Line spans={spans} bold={focused} />
      <Box flexDirection="column" height={Math.max(0, height - 1)} overflowY="hidden">
        {children}
      </Box>
    </Box>
  );
}
