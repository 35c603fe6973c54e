import { useStore } from 'zustand';
import { upgradeStore } from '../stores/upgrade';

/** Says plainly why this tab stopped working with the log, and how to go on. */
export function ReloadBanner() {
  const reloadNeeded = useStore(upgradeStore, (s) => s.reloadNeeded);
  if (!reloadNeeded) return null;
  return (
    <div role="alert" className="reload-banner">
      <p>
        A newer version of CQRS Workbench opened the database in another tab. This tab has let go of
        it so that one can upgrade; reload to go on with the upgraded log.
      </p>
      <button
        type="button"
        onClick={() => {
          window.location.reload();
        }}
      >
        Reload
      </button>
    </div>
  );
}
