import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';

/** Windows start on multiples of this, so scrolling a few rows asks the worker nothing new. */
const WINDOW_STEP = 50;
/** Rows asked of the worker at once: the rows in view and a margin on each side. */
export const WINDOW_SIZE = 200;

/**
 * Virtual scrolling over a window of rows the worker sends: the virtualizer knows the total
 * and draws only what is in view; `offset` is where the window the view should ask for starts.
 * Drawn inside a real <table> with spacer rows (`padTop`, `padBottom`).
 */
export function useVirtualRows(
  total: number,
  rowHeight: number,
  offset: number,
  setOffset: (offset: number) => void,
) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    onChange: (v) => {
      const first = v.range?.startIndex ?? 0;
      const wanted = Math.max(0, Math.floor((first - WINDOW_SIZE / 4) / WINDOW_STEP) * WINDOW_STEP);
      if (wanted !== offset) setOffset(wanted);
    },
  });
  const items = virtualizer.getVirtualItems();
  return {
    virtualizer,
    scrollRef,
    items,
    padTop: items[0]?.start ?? 0,
    padBottom: virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0),
    /** Back to the top, for a new filter or sort. */
    reset: () => {
      setOffset(0);
      scrollRef.current?.scrollTo({ top: 0 });
    },
  };
}
