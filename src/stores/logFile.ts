import { createStore } from 'zustand/vanilla';
import { checkLogFile, exportLog, importLogFile } from '../commands';
import { messageOf } from '../domain';
import { sameMark, type EventStore, type LogMark } from '../eventstore';
import { tellAfterReload } from './afterReload';
import { openExportSink } from './exportFile';

export type LogFileState =
  | { readonly status: 'idle' }
  | { readonly status: 'exporting'; readonly done: number; readonly total: number }
  | { readonly status: 'exported'; readonly events: number }
  | { readonly status: 'checking'; readonly fileName: string }
  | {
      readonly status: 'confirming';
      readonly file: File;
      readonly events: number;
      /** The log the person is asked to replace: its length is what they are told. */
      readonly replacing: LogMark;
      /** The log had changed when they first confirmed: they are asked again. */
      readonly changed: boolean;
    }
  | {
      readonly status: 'importing';
      readonly fileName: string;
      readonly done: number;
      readonly total: number;
    }
  | { readonly status: 'failed'; readonly message: string };

/** Export and import of the whole log: what is going on, for the page to show. */
export const logFileStore = createStore<LogFileState>(() => ({ status: 'idle' }));

/** Whether an export, a check or an import is under way: then no other may start. */
export const isBusy = ({ status }: LogFileState): boolean =>
  status === 'exporting' || status === 'checking' || status === 'importing';

const busy = () => isBusy(logFileStore.getState());

/** Writes the log to an NDJSON file and hands it to the browser as a download. */
export async function startExport(
  store: Pick<EventStore, 'head' | 'readFrom' | 'readCommands'>,
  download: (file: Blob, name: string) => void,
): Promise<void> {
  if (busy()) return;
  logFileStore.setState({ status: 'exporting', done: 0, total: 0 });
  try {
    const { file, events } = await exportLog(store, await openExportSink(), (done, total) => {
      logFileStore.setState({ status: 'exporting', done, total });
    });
    download(file, 'cqrs-workbench-log.ndjson');
    logFileStore.setState({ status: 'exported', events });
  } catch (error) {
    logFileStore.setState({
      status: 'failed',
      message: `The log could not be exported: ${messageOf(error)}`,
    });
  }
}

/** Checks a chosen file line by line; a good one waits for the person to confirm. */
export async function chooseImport(
  store: Pick<EventStore, 'head' | 'epoch'>,
  file: File,
): Promise<void> {
  if (busy()) return;
  logFileStore.setState({ status: 'checking', fileName: file.name });
  try {
    const checked = await checkLogFile(file);
    logFileStore.setState(
      checked.ok
        ? {
            status: 'confirming',
            file,
            events: checked.events,
            replacing: await markOf(store),
            changed: false,
          }
        : { status: 'failed', message: refusal(file.name, checked.line, checked.reason) },
    );
  } catch (error) {
    logFileStore.setState({
      status: 'failed',
      message: `${file.name} could not be read: ${messageOf(error)}`,
    });
  }
}

export function cancelImport(): void {
  if (logFileStore.getState().status === 'confirming') logFileStore.setState({ status: 'idle' });
}

const markOf = async (store: Pick<EventStore, 'head' | 'epoch'>): Promise<LogMark> => {
  const [head, epoch] = await Promise.all([store.head(), store.epoch()]);
  return { head, epoch };
};

/**
 * Replaces the log with the confirmed file; `replaced` then restarts what was derived from it.
 * Only the log the person was told of is replaced: one that has changed since (a command,
 * another tab) is asked about again, and one that changes during the import is kept.
 */
export async function confirmImport(
  store: Pick<EventStore, 'replaceLog' | 'head' | 'epoch'>,
  replaced: (head: number) => Promise<void>,
): Promise<void> {
  const state = logFileStore.getState();
  if (state.status !== 'confirming') return;
  const { file, events, replacing } = state;
  const now = await markOf(store);
  if (!sameMark(now, replacing)) {
    logFileStore.setState({ ...state, replacing: now, changed: true });
    return;
  }
  logFileStore.setState({ status: 'importing', fileName: file.name, done: 0, total: events });
  let recorded: number;
  try {
    const outcome = await importLogFile(
      store,
      file,
      (done) => {
        logFileStore.setState({ status: 'importing', fileName: file.name, done, total: events });
      },
      replacing,
    );
    if (!outcome.ok) {
      logFileStore.setState({
        status: 'failed',
        message: refusal(file.name, outcome.line, outcome.reason),
      });
      return;
    }
    recorded = outcome.events;
  } catch (error) {
    logFileStore.setState({
      status: 'failed',
      message: `${file.name} was not imported, and the log is as it was: ${messageOf(error)}`,
    });
    return;
  }
  // The log is replaced: from here on, a failure is not the import's.
  tellAfterReload({ kind: 'imported', fileName: file.name, events: recorded });
  await replaced(recorded).catch((error: unknown) => {
    logFileStore.setState({
      status: 'failed',
      message: `${file.name} was imported, but the read models could not start again on it: ${messageOf(error)}. Reload the page.`,
    });
  });
}

const refusal = (fileName: string, line: number, reason: string) =>
  `${fileName} was not imported, and the log is as it was. Line ${line.toLocaleString('en-US')}: ${reason}.`;
