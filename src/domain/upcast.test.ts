import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from './envelope';
import { upcast } from './upcast';

const stored = (type: string, schemaVersion: number, data: unknown): RecordedEvent => ({
  position: 1,
  streamId: 'user-u1',
  version: 1,
  type,
  schemaVersion,
  data,
  metadata: {
    eventId: 'c1/1',
    commandId: 'c1',
    causationId: 'c1',
    correlationId: 'c1',
    recordedAt: '2026-01-01T00:00:00.000Z',
  },
});

describe('upcast', () => {
  it('lifts a UserCreated of schema version 1 to version 2, leaving the stored event as it was', () => {
    const v1 = stored('UserCreated', 1, { userId: 'u1', email: 'Ann@Example.com', name: 'Ann' });
    const frozen = JSON.stringify(v1);
    expect(upcast(v1)).toEqual({
      ...v1,
      schemaVersion: 2,
      data: {
        userId: 'u1',
        email: 'Ann@Example.com',
        normalizedEmail: 'ann@example.com',
        name: 'Ann',
      },
    });
    expect(JSON.stringify(v1)).toBe(frozen);
  });

  it('passes a current event through untouched', () => {
    const v2 = stored('UserCreated', 2, {
      userId: 'u1',
      email: 'a@b.io',
      normalizedEmail: 'a@b.io',
      name: 'A',
    });
    expect(upcast(v2)).toBe(v2);
  });

  it('refuses an unknown type, and a version newer than this app', () => {
    expect(() => upcast(stored('UserVanished', 1, {}))).toThrow(
      'Unknown event type "UserVanished"',
    );
    expect(() => upcast(stored('UserCreated', 3, {}))).toThrow('newer than this app');
  });
});
