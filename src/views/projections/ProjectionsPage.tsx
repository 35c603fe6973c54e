import { useState } from 'react';
import { useStore } from 'zustand';
import { messageOf } from '../../domain';
import { PROJECTION_NAMES, type ProjectionName } from '../../projections';
import {
  readSideStore,
  rebuildProjection,
  skipEvent,
  verifyProjection,
  type VerifyResult,
} from '../../stores/readSide';
import type { ProjectionStatus } from '../../worker/protocol';
import { countOf, formatCount } from '../format';
import { OutcomeMessage, type Outcome } from '../OutcomeMessage';
import { ProgressBar } from '../ProgressBar';
import { ReadModelLag } from '../ReadModelLag';
import { useLingering } from '../useLingering';
import { useLogHead } from '../useLogHead';
import { StoragePanel } from './StoragePanel';

/** A rebuild's bar: while it runs, and a moment after, full. */
function RebuildProgress({ title, rebuild }: Pick<ProjectionStatus, 'title' | 'rebuild'>) {
  const shown = useLingering(rebuild?.running === true);
  if (!shown || rebuild === null) return null;
  return <ProgressBar label={`Rebuild of ${title}`} value={rebuild.done} max={rebuild.total} />;
}

/** Every read model the worker owns: where it stands, how fast it goes, and its controls. */
export function ProjectionsPage() {
  const projections = useStore(readSideStore, (s) => s.projections);
  const head = useStore(readSideStore, (s) => s.head);
  // As the lag line above counts it: from the head this page knows.
  const logHead = useLogHead();
  const error = useStore(readSideStore, (s) => s.error);
  const [verified, setVerified] = useState<Partial<Record<ProjectionName, Outcome>>>({});

  const verify = async (p: ProjectionStatus) => {
    setVerified((v) => ({ ...v, [p.name]: { kind: 'recorded', text: `Verifying ${p.title}…` } }));
    const outcome = await verifyProjection(p.name).then(
      (result) => describeVerification(p.title, result),
      (error: unknown): Outcome => ({ kind: 'rejected', text: messageOf(error) }),
    );
    setVerified((v) => ({ ...v, [p.name]: outcome }));
  };

  return (
    <div className="projections-page">
      <h2>Projections</h2>
      <p className="hint">
        The projection worker owns every read model. It restores each from its last snapshot, folds
        the events after it, and follows the log. The log head is at position {head}.
      </p>
      <ReadModelLag names={PROJECTION_NAMES} />
      {error !== null && <p role="alert">{error}</p>}
      <div className="table-wide">
        <table aria-label="Projections" className="card-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Position</th>
              <th scope="col">Lag</th>
              <th scope="col">Events per second</th>
              <th scope="col">This session</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {projections.map((p) => (
              <tr key={p.name}>
                <th scope="row">{p.title}</th>
                <td>
                  <span className={`state state-${p.state.replace(' ', '-')}`}>{p.state}</span>
                  <RebuildProgress title={p.title} rebuild={p.rebuild} />
                </td>
                <td>{p.position}</td>
                <td>
                  {countOf(Math.max(p.lag, logHead - p.position), 'event')}
                  {p.lagMs > 0 && `, ${formatCount(p.lagMs)} ms`}
                </td>
                <td>{formatCount(p.eventsPerSecond)}</td>
                <td className="session">{describeSession(p)}</td>
                <td className="actions-cell">
                  <div className="actions-list">
                    <button
                      type="button"
                      disabled={p.rebuild?.running === true}
                      onClick={() => {
                        rebuildProjection(p.name);
                      }}
                    >
                      Rebuild {p.title}
                    </button>
                    <button type="button" onClick={() => void verify(p)}>
                      Verify {p.title}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {projections.map((p) => (
        <ProjectionNotes key={p.name} status={p} verified={verified[p.name] ?? null} />
      ))}
      <StoragePanel />
    </div>
  );
}

function ProjectionNotes({
  status,
  verified,
}: {
  status: ProjectionStatus;
  verified: Outcome | null;
}) {
  if (status.fault === null && verified === null && status.skipped.length === 0) return null;
  return (
    <section className="card note" aria-label={`${status.title} notes`}>
      <h3>{status.title}</h3>
      {status.fault !== null && (
        <div role="alert" className="outcome error">
          <p>
            Stopped at position {status.fault.position}: {status.fault.message}
          </p>
          <button
            type="button"
            onClick={() => {
              skipEvent(status.name, status.fault?.position ?? 0);
            }}
          >
            Skip event
          </button>
        </div>
      )}
      {status.skipped.length > 0 && (
        <p className="hint">Skipped positions: {status.skipped.join(', ')}</p>
      )}
      <OutcomeMessage outcome={verified} />
    </section>
  );
}

function describeSession(p: ProjectionStatus): string {
  const replayed = `replayed ${countOf(p.replayed, 'event')}`;
  // Where the rebuild got to (short of the head where it met a fault); the events followed
  // since are counted as replayed too.
  const rebuilt =
    p.rebuild !== null && !p.rebuild.running
      ? ` (rebuilt to position ${String(p.rebuild.done)} in ${formatCount(p.rebuild.ms)} ms)`
      : '';
  return p.restoredFrom === null
    ? `folded from position 1, ${replayed}${rebuilt}`
    : `restored a snapshot at position ${p.restoredFrom}, ${replayed}`;
}

function describeVerification(title: string, r: VerifyResult): Outcome {
  return r.match
    ? {
        kind: 'recorded',
        text: `${title} matches a fresh rebuild at position ${r.position} (hash ${r.liveHash})`,
      }
    : {
        kind: 'rejected',
        text: `${title} does not match a fresh rebuild at position ${r.position}: live ${r.liveHash}, rebuilt ${r.scratchHash}`,
      };
}
