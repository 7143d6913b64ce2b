import {useEffect, useState} from 'react';

/**
The current time, refreshed every `intervalMs` for ages and uptimes. The caller picks a slow interval when
nothing on screen shows seconds, so an idle screen re-renders rarely.

```tsx
const now = useClock(youngest < 120_000 ? 1000 : 15_000);
```
*/
export function useClock(intervalMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
