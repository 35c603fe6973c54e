import type { ProjectionName } from '../projections';

export const ALL_PROJECTIONS: readonly ProjectionName[] = [
  'userProfiles',
  'usersByDomain',
  'activitySummary',
];
