import { blobSink, type ExportSink } from '../commands';

const FILE_NAME = 'cqrs-workbench-log.ndjson';

/**
 * An export written, as it is made, to a file in the site's private file system. The
 * finished file is backed by that file, not by memory, so the browser can download a log of
 * any size: a download of an in-memory blob of about 500 MB is canceled (measured with 1M
 * events, 523 MB). The file is overwritten by the next export: the download reads it after
 * the click, so it cannot be removed at once. Where there is no private file system, blobs.
 */
export async function openExportSink(): Promise<ExportSink> {
  const root = await navigator.storage.getDirectory().catch(() => null);
  if (root === null) return blobSink();
  const handle = await root.getFileHandle(FILE_NAME, { create: true });
  const writable = await handle.createWritable();
  return {
    write: (text) => writable.write(text),
    async finish() {
      await writable.close();
      return handle.getFile();
    },
    async abort() {
      await writable.abort();
      await root.removeEntry(FILE_NAME);
    },
  };
}
