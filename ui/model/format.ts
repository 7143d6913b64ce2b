/** Pure text formatting for the TUI: sizes, durations, ports, sparklines, fixed-width cells. */
import type {PublishedPort} from '../../src/index.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `12.3 MiB`; `-` for a missing or negative value. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '-';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit] ?? 'B'}`;
}

/** `3.2%`; `-` for a missing value. */
export function formatPercent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return `${value.toFixed(value >= 100 ? 0 : 1)}%`;
}

/** A compact age or uptime: `42s`, `5m`, `3h12m`, `2d4h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
}

/** Time since an RFC 3339 instant, or `-`. */
export function formatSince(iso: string | null | undefined, now: number): string {
  if (iso === null || iso === undefined || iso === '') return '-';
  const at = Date.parse(iso);
  if (!Number.isFinite(at) || at <= 0) return '-';
  return formatDuration(Math.max(0, now - at));
}

/** `HH:MM:SS` of an RFC 3339 instant (local time), or the input when it does not parse. */
export function formatClock(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}

/** `8080->80/tcp,9090->90/udp`; `-` when nothing is published. */
export function formatPorts(ports: readonly PublishedPort[]): string {
  const published = ports.filter((port) => port.hostPort > 0);
  if (published.length === 0) return '-';
  return published
    .map(
      (port) =>
        `${port.hostPort}->${port.containerPort}${port.protocol === 'tcp' ? '' : `/${port.protocol}`}`,
    )
    .join(',');
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
A sparkline of the last `width` values, scaled to `max` (default: the largest value shown, at least 1 so an
idle series stays flat at the bottom).
*/
export function sparkline(values: readonly number[], width: number, max?: number): string {
  const shown = values.slice(-Math.max(0, width));
  const top = max ?? Math.max(1, ...shown);
  const bars = shown.map((value) => {
    const level = top <= 0 ? 0 : Math.round((Math.max(0, value) / top) * (BARS.length - 1));
    return BARS[Math.min(BARS.length - 1, Math.max(0, level))] ?? BARS[0];
  });
  return bars.join('').padStart(width, ' ');
}

// ANSI CSI/OSC sequences and other C0/C1 controls: a log line must not move the cursor or change colours.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Text safe to put on one terminal line: escapes stripped, tabs expanded, other controls dropped. */
export function sanitizeLine(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/\r?\n$/, '')
    .replace(/\t/g, '    ')
    .replace(/\n/g, ' ')
    .replace(CONTROL, '');
}

/** Pads or cuts `text` to exactly `width` characters (cut text ends with `…`). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}
