import { useEffect, useRef, useState } from 'react';
import { wholeNumberOf } from '../../domain';
import { moveCursor } from './cursor';

const SPEEDS = [
  { label: '1 event per second', value: '1' },
  { label: '10 events per second', value: '10' },
  { label: '100 events per second', value: '100' },
  { label: 'As fast as the browser draws', value: 'frame' },
] as const;

interface Props {
  readonly position: number;
  readonly head: number;
  /** Moves the cursor there, or as near as the log allows. */
  readonly go: (position: number) => void;
  readonly follow: boolean;
  readonly onFollow: (follow: boolean) => void;
}

/** First, previous, next, last, play or pause, the slider and the number field. */
export function Controls({ position, head, go, follow, onFollow }: Props) {
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<string>('10');
  // Playback ends at the last event (the button says Play again); events recorded after it
  // wait for the next Play.
  usePlayback(playing, speed, position, head, () => {
    setPlaying(false);
  });
  const empty = head === 0;
  const slider = useRef<HTMLInputElement>(null);
  const focused = useRef<EventTarget | null>(null);
  useEffect(() => {
    // A button disabled under the focus (First event, once at position 1) drops it to the
    // page, and Tab starts again from the top: the slider takes it, and steps with the arrows.
    // The browser may not have dropped it yet when this runs: it still sits on the button.
    const last = focused.current;
    const active = document.activeElement;
    if (
      last instanceof HTMLButtonElement &&
      last.disabled &&
      (active === last || active === document.body)
    )
      slider.current?.focus();
  });
  return (
    <div
      className="timeline-controls"
      onFocus={(e) => {
        focused.current = e.target;
      }}
    >
      <div className="actions">
        <button
          type="button"
          disabled={empty || position <= 1}
          onClick={() => {
            go(1);
          }}
        >
          First event
        </button>
        <button
          type="button"
          disabled={empty || position <= 1}
          onClick={() => {
            go(position - 1);
          }}
        >
          Previous event
        </button>
        <button
          type="button"
          disabled={empty || position >= head}
          onClick={() => {
            go(position + 1);
          }}
        >
          Next event
        </button>
        <button
          type="button"
          disabled={empty || position >= head}
          onClick={() => {
            go(head);
          }}
        >
          Last event
        </button>
        <button
          type="button"
          disabled={empty || (!playing && position >= head)}
          onClick={() => {
            setPlaying((p) => !p);
          }}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <label className="inline">
          Speed{' '}
          <select
            value={speed}
            onChange={(e) => {
              setSpeed(e.target.value);
            }}
          >
            {SPEEDS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => {
              onFollow(e.target.checked);
            }}
          />{' '}
          Follow
        </label>
      </div>
      <div className="position-row">
        <input
          ref={slider}
          type="range"
          aria-label="Position"
          min={empty ? 0 : 1}
          max={head}
          value={position}
          disabled={empty}
          onChange={(e) => {
            go(Number(e.target.value));
          }}
        />
        <PositionField position={position} head={head} go={go} />
        <p className="position-text">
          Position {position} of {head}
        </p>
      </div>
    </div>
  );
}

/**
 * The position as a number to type. Each whole number typed moves the cursor there, or to the
 * nearest event; what is not one yet (an empty field, "1.5") stays as typed while the field
 * has the focus, so it can be emptied and written again, and leaving it shows the position.
 */
function PositionField({ position, head, go }: Pick<Props, 'position' | 'head' | 'go'>) {
  const [draft, setDraft] = useState<string | null>(null);
  const empty = head === 0;
  return (
    <input
      type="number"
      aria-label="Position"
      className="position-number"
      min={empty ? 0 : 1}
      max={head}
      step={1}
      value={draft ?? position}
      disabled={empty}
      onChange={(e) => {
        const text = e.target.value;
        // A whole number moves the cursor, and the field shows where it went (200 for 999 in
        // a log of 200); anything else stays as typed until it is one, or the field is left.
        const whole = wholeNumberOf(text);
        setDraft(whole === null ? text : null);
        if (whole !== null) go(whole);
      }}
      onBlur={() => {
        setDraft(null);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === 'Escape') setDraft(null);
      }}
    />
  );
}

/** Steps the cursor forward at the chosen speed; "frame" is once per animation frame. */
function usePlayback(
  active: boolean,
  speed: string,
  position: number,
  head: number,
  onEnd: () => void,
): void {
  const latest = useRef({ position, head, onEnd });
  useEffect(() => {
    latest.current = { position, head, onEnd };
  });
  useEffect(() => {
    if (!active) return;
    let handle = 0;
    const step = () => {
      const { position: p, head: h, onEnd: end } = latest.current;
      if (p >= h) {
        end();
        return;
      }
      moveCursor(p + 1);
      schedule();
    };
    const schedule = () => {
      handle =
        speed === 'frame'
          ? requestAnimationFrame(step)
          : window.setTimeout(step, 1000 / Number(speed));
    };
    schedule();
    return () => {
      cancelAnimationFrame(handle);
      clearTimeout(handle);
    };
  }, [active, speed]);
}
