import { PROJECTION_NAMES } from '../../projections';
import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { readSideStore, type ReadSideState } from '../../stores/readSide';
import { formatCount } from '../format';
import { ProgressBar } from '../ProgressBar';
import { ReadModelLag } from '../ReadModelLag';
import { STEADY_MS, useThrottledStore } from '../useThrottledStore';
import { useWindow, windowRows } from '../useWindow';
import type { WriteRow } from '../../worker/protocol';
import { useLocation } from '../router';
import { BlamePanel } from './BlamePanel';
import { ChangesPanel } from './ChangesPanel';
import { Controls } from './Controls';
import { clamp, cursorFromLocation, moveCursor } from './cursor';
import { DensityChart } from './DensityChart';
import { EventDetailPanel } from './EventDetailPanel';
import { ExportTest } from './ExportTest';
import { EventsList } from './EventsList';
import { TIMELINE_PROGRESS } from './loading';
import { RejectionsLane } from './RejectionsLane';
import { MODELS, StateTable, type BlameTarget } from './StateTables';
import { WhatIfPanel } from './WhatIfPanel';

const selectHead = (s: ReadSideState) => s.head;

/**
 * The event-timeline inspector: step through the log and see every read model as it stood
 * right after any event, what that event changed, and who wrote each field.
 */
export function TimelinePage() {
  const location = useLocation();
  // While events pour in, the page follows the head a few times a second, not at every one.
  const head = useThrottledStore(readSideStore, selectHead, STEADY_MS);
  const [follow, setFollow] = useState(false);
  const [blamed, setBlamed] = useState<BlameTarget | null>(null);
  const [whatIf, setWhatIf] = useState<number | null>(null);
  const asked = cursorFromLocation(location);
  // The cursor sent away from the head (a button, a key, a row, the chart) ends Follow: it
  // goes where it was sent, and stays.
  const [lastAsked, setLastAsked] = useState(asked);
  if (asked !== lastAsked) {
    setLastAsked(asked);
    if (follow && asked !== null && asked < head) setFollow(false);
  }
  const position = asked === null || follow ? head : clamp(asked, head);

  // The URL follows the cursor (and Follow mode), so a copied link reopens this view.
  useEffect(() => {
    if (head > 0 && asked !== position) moveCursor(position);
  }, [asked, position, head]);

  const go = useCallback(
    (to: number) => {
      moveCursor(clamp(to, head));
    },
    [head],
  );
  useKeyboardStepping(position, head, go);
  // What the event at the cursor wrote: listed by the Changes panel, marked in the tables.
  const changes = useWindow({ kind: 'timelineChanges', at: position });
  const writes = windowRows<WriteRow>(changes);

  return (
    <div className="timeline-page">
      <div className="timeline-head">
        <h2>Timeline</h2>
        <ReadModelLag names={PROJECTION_NAMES} />
      </div>
      {!changes.answered && <FoldProgress />}
      <Controls position={position} head={head} go={go} follow={follow} onFollow={setFollow} />
      <DensityChart position={position} />
      <div className="timeline-grid">
        <div className="timeline-left">
          <EventsList position={position} />
          <EventDetailPanel position={position} onSkip={setWhatIf} />
          {whatIf !== null && (
            <WhatIfPanel
              skip={whatIf}
              onClose={() => {
                setWhatIf(null);
              }}
            />
          )}
          <RejectionsLane />
          <ExportTest position={position} head={head} />
        </div>
        <div className="timeline-right">
          <ChangesPanel at={position} writes={writes} answered={changes.answered} />
          {blamed !== null && <BlamePanel target={blamed} at={position} />}
          {MODELS.map((m) => (
            <StateTable
              key={m.projection}
              model={m}
              at={position}
              onBlame={setBlamed}
              blamed={blamed}
              writes={writes}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

/**
 * How far the timeline's first fold has come: on a million events it reads and folds the
 * whole log for a few seconds before its first answer.
 */
function FoldProgress() {
  const progress = useStore(readSideStore, (s) => s.timeline);
  if (progress === null || progress.folded >= progress.head) return null;
  return (
    <div className="progress">
      <ProgressBar label={TIMELINE_PROGRESS} value={progress.folded} max={progress.head} />
      <span aria-hidden="true">
        Reading the log for the timeline: {formatCount(progress.folded)} of{' '}
        {formatCount(progress.head)} events
      </span>
    </div>
  );
}

/** ← and → step, Home and End jump; keys typed into a field stay with the field. */
function useKeyboardStepping(position: number, head: number, go: (to: number) => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (
        target?.closest('input, select, textarea') ||
        event.altKey ||
        event.ctrlKey ||
        event.metaKey
      )
        return;
      const next =
        event.key === 'ArrowRight'
          ? position + 1
          : event.key === 'ArrowLeft'
            ? position - 1
            : event.key === 'Home'
              ? 1
              : event.key === 'End'
                ? head
                : null;
      if (next === null || head === 0) return;
      event.preventDefault();
      go(next);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [position, head, go]);
}
