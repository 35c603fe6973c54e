export * from './types';
export { openEventStore, openDatabase, DEFAULT_DB_NAME, type OpenOptions } from './store';
export {
  announceCommit,
  announceRejection,
  announceReplacement,
  isOwnNotice,
  subscribeCommits,
  type CommitNotice,
} from './commits';
export type { RecordedCommand, RejectionRecord } from './schema';
export {
  openReadSideStore,
  DEFAULT_READ_DB_NAME,
  type ReadSideStore,
  type ReadModelSnapshot,
  type SkipRecord,
} from './readSide';
export { LogChangedError, StorageWriteError } from './errors';
export { runOf, type LogPiece } from './segments';
export { hasFields, type SegmentColumns, type StringView } from './codec';
export { grownFor } from './typedArrays';
export { StreamNumbering } from './streamNumbering';
export {
  acceptLoss,
  raiseMark,
  sameMark,
  type LogLoss,
  type LogMark,
  type MarkKeeper,
} from './watermark';
