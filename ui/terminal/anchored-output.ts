/**
Pins Ink's frame to the top-left of the alternate screen.

Ink 6.8's incremental log-update moves up `lines - 1` rows before redrawing, but it leaves the cursor on the
row *below* a frame that ends with a newline, so every incremental frame lands one row lower than the last
(measured in tmux: the second frame starts on row 2). Its shrink path has the mirror problem on resize (Ink
#1023). In the alternate screen the TUI's frame always starts at row 1 (the screen is cleared before a
mount and the frame is at most rows - 1 lines, so nothing scrolls), so the relative "go back to the top of
the frame" prefix of each frame write can be replaced by an absolute cursor-home; the suffix erases whatever
an earlier, taller frame left below. Every other write (cursor show/hide, synchronized-output markers) passes
through untouched.
*/

const HOME = '\u001B[H';
const ERASE_BELOW = '\u001B[J';
// Ink's relative positioning at the start of a frame write: eraseLines (2K, 1A, G) and cursorUp (nA), and the
// cursorTo(0) of the first changed line.
// eslint-disable-next-line no-control-regex
const LEAD = /^(?:\u001B\[2K|\u001B\[\d*A|\u001B\[1?G)+/;

/** Rewrites one write: frame writes become home-anchored, other writes are returned as they are. */
export function anchorFrame(chunk: string): string {
  const lead = LEAD.exec(chunk);
  if (!chunk.includes('\n')) {
    // log.clear() (on a width decrease) is only a lead: clear the screen instead.
    return lead !== null && lead[0].length === chunk.length ? `${HOME}${ERASE_BELOW}` : chunk;
  }
  return `${HOME}${lead === null ? chunk : chunk.slice(lead[0].length)}${ERASE_BELOW}`;
}

/** A view of `stdout` whose writes go through {@link anchorFrame}; everything else is the real stream. */
export function anchoredStdout(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stdout.write as (...args: unknown[]) => boolean)(
      typeof chunk === 'string' ? anchorFrame(chunk) : chunk,
      ...rest,
    );
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
