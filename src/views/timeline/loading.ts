/** What the timeline's views say before their first answer: the worker folds the whole log
 * once, when the timeline is first opened, which takes seconds on a million events. */
export const TIMELINE_LOADING = 'Reading the log for the timeline…';

/** The name of the bar that shows how far that first fold has come. */
export const TIMELINE_PROGRESS = 'Timeline progress';
