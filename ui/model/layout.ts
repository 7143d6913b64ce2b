/**
Pane heights from the terminal size. The frame is always `rows - 1` lines: Ink 6 clears the whole terminal
on every render once a frame reaches the terminal's height (tui-anchors 6.2), so one row stays free.
*/

export interface Layout {
  readonly columns: number;
  /** Lines of the whole frame (rows - 1). */
  readonly frame: number;
  /** Each pane's height includes its title line. */
  readonly pods: number;
  readonly containers: number;
  readonly detail: number;
}

/** The header, the message/prompt line and the footer. */
export const CHROME_LINES = 3;

/** Splits `rows - 1` lines between the chrome and the three panes; `members` is the selected pod's row count. */
export function computeLayout(rows: number, columns: number, members: number): Layout {
  const frame = Math.max(CHROME_LINES + 6, rows - 1);
  const panes = frame - CHROME_LINES;
  const pods = Math.max(2, Math.floor(panes * 0.3));
  // The containers pane is as tall as the pod needs (a pod has a handful of members), within a cap.
  const containers = Math.max(2, Math.min(1 + Math.max(1, members), Math.floor(panes * 0.3)));
  const detail = Math.max(2, panes - pods - containers);
  return {columns: Math.max(20, columns), frame, pods, containers, detail};
}
