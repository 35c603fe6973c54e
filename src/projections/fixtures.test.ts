import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { upcast, type RecordedEvent } from '../domain';
import { applyChanges, PROJECTIONS } from './index';

interface Fixture {
  readonly description: string;
  readonly codeVersions: Record<string, number>;
  readonly initial: Record<string, [string, unknown][]>;
  readonly events: RecordedEvent[];
  readonly expected: Record<string, [string, unknown][]>;
}

/**
 * Projection tests exported from the timeline ("Export as a test"): given the read models
 * before a range and its events, folding them must give the read models exported after.
 */
const dir = join(import.meta.dirname, 'fixtures');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture] as const);

describe.each(fixtures)('exported projection test %s', (_file, fixture) => {
  it.each(PROJECTIONS.map((p) => [p.name, p] as const))(
    '%s folds to the expected rows',
    (name, projection) => {
      expect(fixture.codeVersions[name]).toBe(projection.codeVersion);
      const model = new Map<string, unknown>(fixture.initial[name]);
      for (const event of fixture.events) {
        applyChanges(
          model,
          projection.project(upcast(event), (k) => model.get(k) as never) as never,
        );
      }
      expect([...model].sort(([a], [b]) => (a < b ? -1 : 1))).toEqual(fixture.expected[name]);
    },
  );
});
