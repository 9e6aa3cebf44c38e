import type { PreflightProblem } from '../../api/first-run';
import { Modal } from '../Modal';
import { PreflightList } from './PreflightList';

export type ActivationCheck = { readonly problems: readonly PreflightProblem[]; readonly warnings: readonly PreflightProblem[] };

/**
 * What activation would meet: blocking problems (activation cannot go ahead; each says what to
 * fix), or warnings to confirm before the triggers start firing.
 */
export function ActivateDialog({ check, busy, onActivate, onClose }: { check: ActivationCheck; busy: boolean; onActivate: () => void; onClose: () => void }) {
  const blocked = check.problems.length > 0;
  return (
    <Modal title={blocked ? 'Cannot activate yet' : 'Activate with warnings?'} open onClose={onClose}>
      {blocked ? (
        <>
          <p>Activating starts this workflow's triggers. Fix these first:</p>
          <PreflightList items={check.problems} label="Problems" />
        </>
      ) : null}
      {check.warnings.length ? (
        <>
          <p>{blocked ? 'Also worth a look:' : 'The workflow can be activated, but look at this first:'}</p>
          <PreflightList items={check.warnings} label="Warnings" />
        </>
      ) : null}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose}>{blocked ? 'Close' : 'Cancel'}</button>
        {blocked ? null : <button type="button" className="btn btn-primary" onClick={onActivate} disabled={busy}>{busy ? 'Activating…' : 'Activate anyway'}</button>}
      </div>
    </Modal>
  );
}
