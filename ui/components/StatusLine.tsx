import type {Intent, Prompt} from '../model/view-state.js';
import type {Message} from '../store/tui-store.js';
import {Line} from './Line.js';

type Props = {
  readonly prompt: Prompt | null;
  /** For the exec prompt: where the command runs. */
  readonly execTarget: string;
  readonly confirm: Intent | null;
  readonly message: Message | null;
};

const PROMPT_LABEL: Record<Prompt['kind'], string> = {
  command: ':',
  search: 'search logs /',
  filter: 'filter pods /',
  exec: 'exec',
};

/** The question a destructive action asks before it runs. */
export function confirmText(intent: Intent): string {
  const noun = intent.scope === 'pod' ? 'pod' : 'container';
  const names = intent.targets.map((t) => t.label);
  const what =
    names.length === 1
      ? `${noun} ${names[0] ?? ''}`
      : `${names.length} marked ${noun}s (${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''})`;
  return `${intent.op[0]?.toUpperCase() ?? ''}${intent.op.slice(1)} ${what}? [y/N]`;
}

/** The line above the footer: a prompt being typed, a yes/no question, or the last message. */
export function StatusLine({prompt, execTarget, confirm, message}: Props) {
  if (prompt !== null) {
    const label = prompt.kind === 'exec' ? `exec in ${execTarget} $ ` : PROMPT_LABEL[prompt.kind];
    return (
      <Line spans={[{text: ` ${label}`, bold: true, color: 'cyan'}, {text: prompt.text}, {text: '█'}]} />
    );
  }
  if (confirm !== null) {
    return <Line spans={[{text: ` ${confirmText(confirm)}`, bold: true, color: 'yellow'}]} />;
  }
  if (message !== null) {
    const color = message.level === 'error' ? 'red' : message.level === 'warn' ? 'yellow' : undefined;
    return <Line spans={[{text: ` ${message.text}`, color, bold: message.level !== 'info'}]} />;
  }
  return <Line spans={[{text: ' '}]} />;
}
