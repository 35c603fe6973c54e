import { describe, expect, it } from 'vitest';
import { CommandTable } from './commandTable';

const id = (n: number) => `run-${String(n)}`;

describe('the command table', () => {
  it('finds every command once, also while it grows and moves its entries', () => {
    const table = new CommandTable();
    // 50,000 adds cross several doublings; each check runs mid-move as well as after one.
    for (let n = 1; n <= 50_000; n++) {
      table.add(id(n), n * 2);
      for (const probe of [n, Math.ceil(n / 2), Math.ceil(n / 7), 1]) {
        expect(table.mayHave(id(probe))).toBe(true);
        expect(table.candidates(id(probe))).toEqual([probe * 2]);
      }
    }
  });

  it('says for certain when a command was never recorded', () => {
    const table = new CommandTable();
    for (let n = 1; n <= 10_000; n++) table.add(id(n), n);
    expect(table.mayHave('never-sent')).toBe(false);
    expect(table.candidates('never-sent')).toEqual([]);
  });
});
