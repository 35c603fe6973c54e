import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, useState } from 'react';

/** Windows start on multiples of this, so scrolling a few rows asks the worker nothing new. */
const WINDOW_STEP = 50;
/** Rows asked of the worker at once: the rows in view and a margin on each side. */
export const WINDOW_SIZE = 200;

/**
 * Virtual scrolling over a window of rows the worker sends: the virtualizer knows the total
 * and draws only what is in view; `offset` is where the window the view should ask for starts.
 * Drawn inside a real <table> with spacer rows (`padTop`, `padBottom`), below its sticky
 * header: the rows start that far into the scrolling box, and a row scrolled to is shown
 * below the header, not under it.
 */
export function useVirtualRows(
  total: number,
  rowHeight: number,
  offset: number,
  setOffset: (offset: number) => void,
) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [header, setHeader] = useState(0);
  // Measured again when it changes height: fonts that load late, headers that wrap.
  useLayoutEffect(() => {
    const head = scrollRef.current?.querySelector('thead');
    if (head === null || head === undefined) return;
    const measure = () => {
      setHeader(head.offsetHeight);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(head);
    return () => {
      observer.disconnect();
    };
  }, []);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    scrollMargin: header,
    scrollPaddingStart: header,
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
    padTop: (items[0]?.start ?? header) - header,
    padBottom: virtualizer.getTotalSize() - ((items.at(-1)?.end ?? header) - header),
    /** Back to the top, for a new filter or sort. */
    reset: () => {
      setOffset(0);
      scrollRef.current?.scrollTo({ top: 0 });
    },
  };
}
