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

  it('is made again from its state, mid-move too, and grows on from there', () => {
    const table = new CommandTable();
    // 3,500 adds: past the first doubling (at 3,072), with entries still to move.
    for (let n = 1; n <= 3_500; n++) table.add(id(n), n);
    const state = table.state();
    // A table made from a state takes its arrays over: this one is given a state of its own.
    const restored = CommandTable.fromState(table.state());
    for (let n = 3_501; n <= 20_000; n++) restored.add(id(n), n);
    for (let n = 1; n <= 20_000; n++) expect(restored.candidates(id(n))).toEqual([n]);
    // A state is a copy: the adds after it changed neither the table nor another state.
    expect(table.mayHave(id(20_000))).toBe(false);
    expect(CommandTable.fromState(state).mayHave(id(20_000))).toBe(false);
    expect(() => CommandTable.fromState({ ...state, size: state.size - 1 })).toThrow(
      'Not the state of a command table',
    );
  });
});
