import { PROJECTIONS } from '../../projections';
import type { WriteRow } from '../../worker/protocol';
import { TIMELINE_LOADING } from './loading';

/**
 * For each read model, the rows the event at `at` added, changed or removed. Until the first
 * answer it says so, rather than "No change.": on a long log the timeline's first fold takes
 * seconds.
 */
export function ChangesPanel({
  at,
  writes,
  answered,
}: {
  at: number;
  writes: readonly WriteRow[];
  answered: boolean;
}) {
  const name = `Changes at position ${String(at)}`;
  return (
    <section className="card changes" role="region" aria-label={name}>
      <h3>{name}</h3>
      {!answered && <p className="hint">{TIMELINE_LOADING}</p>}
      {answered &&
        PROJECTIONS.map((p) => {
          const mine = writes.filter((w) => w.projection === p.name);
          return (
            <div key={p.name} className="changes-model">
              <h4>{p.title}</h4>
              {mine.length === 0 ? (
                <p className="hint">No change.</p>
              ) : (
                <ul>
                  {mine.map((w) => (
                    <li key={w.key}>
                      <ChangeLine write={w} />
                    </li>
                  ))}
                </ul>
              )}
            </div>
          );
        })}
    </section>
  );
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function ChangeLine({ write }: { write: WriteRow }) {
  if (write.before === undefined) {
    return (
      <>
        <strong>added</strong> {write.key}: <code>{JSON.stringify(write.after)}</code>
      </>
    );
  }
  if (write.after === undefined) {
    return (
      <>
        <strong>removed</strong> {write.key}: <code>{JSON.stringify(write.before)}</code>
      </>
    );
  }
  const before = write.before as Record<string, unknown>;
  const after = write.after as Record<string, unknown>;
  const fields = Object.keys({ ...before, ...after }).filter((f) => before[f] !== after[f]);
  return (
    <>
      <strong>changed</strong> {write.key}:{' '}
      {fields.map((f) => (
        <span key={f} className="field-change">
          {f}: <del>{show(before[f])}</del> → <ins>{show(after[f])}</ins>{' '}
        </span>
      ))}
    </>
  );
}
