import {useEffect, useState} from 'react';

/** A terminal's size. */
export interface TerminalSize {
  readonly rows: number;
  readonly columns: number;
}

/**
The size of `stdout`, updated on resize (debounced: a drag-resize sends many events and each one would
re-lay out the whole screen, k9s #4107). `fixed` overrides it (tests: ink-testing-library has no rows).

```tsx
const {rows, columns} = useTerminalSize(stdout);
```
*/
export function useTerminalSize(
  stdout: NodeJS.WriteStream,
  fixed?: TerminalSize,
  debounceMs = 50,
): TerminalSize {
  const fixedRows = fixed?.rows;
  const fixedColumns = fixed?.columns;
  const [size, setSize] = useState<TerminalSize>(
    () => fixed ?? {rows: stdout.rows || 24, columns: stdout.columns || 80},
  );
  useEffect(() => {
    // Compared by value, so a literal `fixed` prop does not resubscribe on every render.
    if (fixedRows !== undefined && fixedColumns !== undefined) {
      setSize((old) =>
        old.rows === fixedRows && old.columns === fixedColumns
          ? old
          : {rows: fixedRows, columns: fixedColumns},
      );
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const onResize = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => setSize({rows: stdout.rows || 24, columns: stdout.columns || 80}), debounceMs);
    };
    stdout.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout, fixedRows, fixedColumns, debounceMs]);
  return size;
}
