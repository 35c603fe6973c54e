export * from './types';
export { openEventStore, openDatabase, DEFAULT_DB_NAME, type OpenOptions } from './store';
export { announceCommit, subscribeCommits, type CommitNotice } from './commits';
