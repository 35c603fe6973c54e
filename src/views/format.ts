/** Times as "2026-11-25 14:03:07" in the viewer's time zone: sortable, unambiguous, short. */
const TIME = new Intl.DateTimeFormat('sv-SE', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatTime(iso: string | null): string {
  if (iso === null || iso === '') return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME.format(date);
}

/**
 * Formatters made once: `toLocaleString` makes one per call. A table of a hundred rows drawn
 * at every frame while a generation ran spent most of the page's thread there.
 */
const COUNT = new Intl.NumberFormat('en-US');
const MONEY = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

export const formatCount = (n: number): string => COUNT.format(n);

/** "1 event", "2 events": a count and its noun, singular for one. */
export const countOf = (n: number, noun: string): string =>
  `${COUNT.format(n)} ${noun}${n === 1 ? '' : 's'}`;

export const formatMoney = (cents: number): string => MONEY.format(cents / 100);
