import { useRef } from 'react';
import { useStore } from 'zustand';
import {
  cancelImport,
  chooseImport,
  confirmImport,
  isBusy,
  logFileStore,
  startExport,
  type LogFileState,
} from '../../stores/logFile';
import { download } from '../download';
import { countOf } from '../format';
import { ProgressBar } from '../ProgressBar';
import { useRuntime } from '../RuntimeContext';

/** The whole log as a file: export it, or replace it with one (after checking every line). */
export function LogPanel() {
  const { store, logReplaced } = useRuntime();
  const state = useStore(logFileStore);
  const input = useRef<HTMLInputElement>(null);
  const busy = isBusy(state);
  return (
    <section className="card demo-data" aria-labelledby="log-heading">
      <h2 id="log-heading">The log</h2>
      <p className="hint">
        One event per line (NDJSON) with its metadata. An import checks every line before it writes
        anything, and replaces the log in one step.
      </p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void startExport(store, download)}>
          Export log
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            input.current?.click();
          }}
        >
          Import log
        </button>
        <input
          ref={input}
          type="file"
          accept=".ndjson,.jsonl,application/x-ndjson,text/plain"
          hidden
          aria-label="Log file to import"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (file !== undefined) void chooseImport(store, file);
          }}
        />
      </div>
      <LogFileStatus
        state={state}
        onConfirm={() => void confirmImport(store, logReplaced)}
        onCancel={cancelImport}
      />
    </section>
  );
}

function LogFileStatus({
  state,
  onConfirm,
  onCancel,
}: {
  state: LogFileState;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  switch (state.status) {
    case 'idle':
      return null;
    case 'exporting':
      return <ProgressBar label="Export of the log" value={state.done} max={state.total} />;
    case 'exported':
      return (
        <p role="status" className="outcome ok">
          Exported {countOf(state.events, 'event')}.
        </p>
      );
    case 'checking':
      return (
        <p role="status" className="hint">
          Checking {state.fileName}…
        </p>
      );
    case 'confirming':
      return (
        <div
          role="alertdialog"
          aria-label="Replace the log?"
          className="outcome confirm"
          onKeyDown={(event) => {
            if (event.key === 'Escape') onCancel();
          }}
        >
          <p>
            {state.changed && 'The log has changed since the file was checked. '}
            {state.file.name} holds {countOf(state.events, 'good event')}. Importing it replaces the
            log of {countOf(state.replacing.head, 'event')}, which cannot be undone. Export the log
            first to keep a copy.
          </p>
          <div className="actions">
            <button type="button" onClick={onConfirm}>
              Replace log
            </button>
            {/* The safe answer has the focus: Enter or Escape leaves the log as it is. */}
            <button type="button" autoFocus onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      );
    case 'importing':
      return (
        <ProgressBar label={`Import of ${state.fileName}`} value={state.done} max={state.total} />
      );
    case 'failed':
      return (
        <p role="alert" className="outcome error">
          {state.message}
        </p>
      );
  }
}
