import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Windows start on multiples of this, so scrolling a few rows asks the worker nothing new. */
const WINDOW_STEP = 50;
/** Rows asked of the worker at once: the rows in view and a margin on each side. */
export const WINDOW_SIZE = 200;
/** Rows drawn beyond each edge of the view, so a short scroll shows no gap. */
const OVERSCAN = 10;

/**
 * Virtual scrolling over a window of rows the worker sends, for rows of one fixed height:
 * where each row lies is arithmetic, so a list of a million costs what a list of ten does.
 * (A general virtualizer keeps a measurement per row and made them all again whenever the
 * length changed: 10-20 ms at a million rows, ten times a second while the log grew.)
 *
 * Drawn inside a real <table> with spacer rows (`padTop`, `padBottom`), below its sticky
 * header: the rows start that far into the scrolling box, and a row scrolled to is shown
 * below the header, not under it. `offset` is where the window the view should ask for starts.
 */
export function useVirtualRows(
  total: number,
  rowHeight: number,
  offset: number,
  setOffset: (offset: number) => void,
) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [header, setHeader] = useState(0);
  const [view, setView] = useState({ top: 0, height: 0 });
  // Measured again when they change: fonts that load late, headers that wrap, a resized box.
  useLayoutEffect(() => {
    const box = scrollRef.current;
    if (box === null) return;
    const head = box.querySelector('thead');
    // A scroll moves the view only; the header's height is read when something resizes.
    const scrolled = () => {
      setView((v) =>
        v.top === box.scrollTop && v.height === box.clientHeight
          ? v
          : { top: box.scrollTop, height: box.clientHeight },
      );
    };
    const resized = () => {
      setHeader(head?.offsetHeight ?? 0);
      scrolled();
    };
    resized();
    box.addEventListener('scroll', scrolled, { passive: true });
    const observer = new ResizeObserver(resized);
    observer.observe(box);
    if (head !== null) observer.observe(head);
    return () => {
      box.removeEventListener('scroll', scrolled);
      observer.disconnect();
    };
  }, []);

  // The rows in view: those between the sticky header's bottom edge and the box's.
  const firstInView = Math.min(Math.floor(view.top / rowHeight), Math.max(0, total - 1));
  const endInView = Math.min(total, Math.ceil((view.top + view.height - header) / rowHeight));
  const first = Math.max(0, firstInView - OVERSCAN);
  const end = Math.min(total, Math.max(endInView, firstInView + 1) + OVERSCAN);
  const items: { index: number }[] = [];
  for (let index = first; index < end; index++) items.push({ index });

  const wanted = Math.max(
    0,
    Math.floor((firstInView - WINDOW_SIZE / 4) / WINDOW_STEP) * WINDOW_STEP,
  );
  useEffect(() => {
    if (wanted !== offset) setOffset(wanted);
  }, [wanted, offset, setOffset]);

  /** Scrolls the least that shows row `index` whole, below the header. */
  const scrollToIndex = useCallback(
    (index: number) => {
      const box = scrollRef.current;
      if (box === null) return;
      const top = index * rowHeight; // the row's top edge, less the header's height
      if (top < box.scrollTop) box.scrollTop = top;
      else if (top + rowHeight + header > box.scrollTop + box.clientHeight)
        box.scrollTop = top + rowHeight + header - box.clientHeight;
    },
    [rowHeight, header],
  );

  return {
    scrollRef,
    items,
    padTop: first * rowHeight,
    padBottom: (total - end) * rowHeight,
    scrollToIndex,
    /** Back to the top, for a new filter or sort. */
    reset: () => {
      setOffset(0);
      // Now, not at the scroll event a frame later: until then the old place would ask
      // for its window again.
      setView((v) => ({ ...v, top: 0 }));
      scrollRef.current?.scrollTo({ top: 0 });
    },
  };
}
