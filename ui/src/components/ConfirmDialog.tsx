import type { ReactNode } from 'react';
import { Modal } from './Modal';

/** "Are you sure?" for destructive actions, as a real dialog (focus trapped, Escape cancels). */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel, danger = true }: {
  open: boolean; title: string; children: ReactNode; confirmLabel: string; onConfirm: () => void; onCancel: () => void; danger?: boolean;
}) {
  return (
    <Modal title={title} open={open} onClose={onCancel}>
      <div>{children}</div>
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
        <button type="button" className={danger ? 'btn btn-danger' : 'btn btn-primary'} onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </Modal>
  );
}
