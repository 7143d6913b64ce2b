import type {ExecOutput} from '../store/tui-store.js';
import {sanitizeLine} from '../model/format.js';
import type {Span} from './Line.js';
import {Line} from './Line.js';

type Props = {
  readonly exec: ExecOutput | null;
  readonly height: number;
  readonly scroll: number;
};

/** The lines of a finished exec: the command, its output (stderr in red), then the exit code. */
export function execLines(exec: ExecOutput): Span[][] {
  const lines: Span[][] = [
    [
      {text: `$ ${exec.command}`, bold: true},
      {text: `   (in ${exec.target})`, dim: true},
    ],
  ];
  if (exec.error !== null) return [...lines, [{text: exec.error, color: 'red'}]];
  if (exec.result === null) return [...lines, [{text: 'running…', dim: true}]];
  const split = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
  for (const line of split(exec.result.stdout)) lines.push([{text: sanitizeLine(line)}]);
  for (const line of split(exec.result.stderr)) lines.push([{text: sanitizeLine(line), color: 'red'}]);
  const notes = [
    exec.result.timedOut ? 'timed out' : '',
    exec.result.truncated ? 'output truncated' : '',
  ].filter((n) => n !== '');
  lines.push([
    {
      text: `exit code ${exec.result.exitCode}`,
      bold: true,
      color: exec.result.exitCode === 0 ? 'green' : 'red',
    },
    {
      text: ` in ${Math.round(exec.result.durationMs)} ms${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`,
      dim: true,
    },
  ]);
  return lines;
}

/** The exec tab: the last one-off command's output and exit code. */
export function ExecTab({exec, height, scroll}: Props) {
  if (exec === null)
    return <Line spans={[{text: '  press e on a container to run a command in it', dim: true}]} />;
  const lines = execLines(exec);
  // Keep the exit code in view: scroll 0 shows the end of long output.
  const end = Math.max(Math.min(lines.length, height), lines.length - Math.max(0, scroll));
  const start = Math.max(0, end - height);
  return (
    <>
      {lines.slice(start, end).map((spans, i) => (
        <Line key={start + i} spans={spans} />
      ))}
    </>
  );
}
