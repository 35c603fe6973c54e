/** Events per second over the last few seconds, in buckets of a quarter second. */
/** How far back a rate looks: a rate is of the events folded in this last stretch. */
export const RATE_WINDOW_MS = 2_000;

export class RateMeter {
  private readonly buckets: { at: number; count: number }[] = [];

  constructor(private readonly start: number) {}

  add(count: number, now: number): void {
    const at = Math.floor((now - this.start) / 250);
    const last = this.buckets.at(-1);
    if (last?.at === at) last.count += count;
    else this.buckets.push({ at, count });
    this.trim(now);
  }

  perSecond(now: number): number {
    this.trim(now);
    const total = this.buckets.reduce((sum, b) => sum + b.count, 0);
    return Math.round(total / (RATE_WINDOW_MS / 1000));
  }

  /** Keeps the window's buckets. */
  private trim(now: number): void {
    const oldest = Math.floor((now - this.start) / 250) - RATE_WINDOW_MS / 250;
    while ((this.buckets[0]?.at ?? Infinity) <= oldest) this.buckets.shift();
  }
}
