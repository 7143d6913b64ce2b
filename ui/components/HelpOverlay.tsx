import {Box} from 'ink';
import {KEY_HELP} from '../model/keymap.js';
import {COMMAND_USAGE} from '../model/command-line.js';
import {fit} from '../model/format.js';
import {Line} from './Line.js';

type Props = {
  readonly height: number;
  readonly width: number;
  /** First line shown (the list scrolls with j/k when the terminal is short). */
  readonly scroll: number;
};

const WHERE: Record<string, string> = {global: '', lists: 'pods/containers', logs: 'logs tab'};

/** Every line of the help, for the overlay and for tests. */
export function helpLines(): string[] {
  const width = Math.max(...KEY_HELP.map((k) => k.keys.length));
  return [
    ...KEY_HELP.map(
      (k) => `${k.keys.padEnd(width)}  ${k.description}${WHERE[k.where] ? ` (${WHERE[k.where] ?? ''})` : ''}`,
    ),
    '',
    `Commands after ":": ${COMMAND_USAGE.join(', ')}`,
  ];
}

/** The `?` overlay: every key, drawn in place of the panes (Esc, q or ? closes it). */
export function HelpOverlay({height, width, scroll}: Props) {
  const lines = helpLines();
  const body = Math.max(0, height - 1);
  const start = Math.min(Math.max(0, scroll), Math.max(0, lines.length - body));
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      <Line
        spans={[
          {
            text: fit(
              `▌ KEYS  (j/k scroll, Esc/?/q close)  ${start + 1}-${Math.min(lines.length, start + body)}/${lines.length}`,
              width,
            ),
          },
        ]}
        inverse
        bold
      />
      {lines.slice(start, start + body).map((line, i) => (
        <Line key={i} spans={[{text: `  ${line}`}]} />
      ))}
    </Box>
  );
}
