import { errorMessage } from '../../api/client';
import { workflows } from '../../api/endpoints';
import { useResource } from '../../api/use-resource';
import { downloadJson } from '../download';
import { ErrorBanner } from '../ErrorBanner';
import { formatTime } from '../format';
import { Loading } from '../Loading';
import { Modal } from '../Modal';
import { toast } from '../toast-store';

/** Published versions, newest first: export any of them, or copy one back into the draft. */
export function VersionHistory({ workflowId, name, open, onClose, onRestored, canRestore }: {
  workflowId: string; name: string; open: boolean; onClose: () => void; onRestored: () => void; canRestore: boolean;
}) {
  const list = useResource(() => (open ? workflows.versions(workflowId) : Promise.resolve(undefined)), [workflowId, open]);
  const restore = async (n: number) => {
    try {
      await workflows.restore(workflowId, n);
      toast(`Version ${n} restored into the draft`, 'success');
      onRestored();
      onClose();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const exportVersion = async (n: number) => {
    try {
      downloadJson(`${name}-v${n}.json`, await workflows.exportDoc(workflowId, n));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const items = list.data?.items ?? [];
  return (
    <Modal title="Version history" open={open} onClose={onClose}>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {list.data && items.length === 0 ? <p className="muted">No versions yet: Save publishes one.</p> : null}
      {items.length > 0 ? (
        <table className="table">
          <thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.id}>
                <td>v{v.version} {v.active ? <span className="badge badge-active">active</span> : null}</td>
                <td>{formatTime(v.created_at)}</td>
                <td className="row-actions">
                  <button type="button" className="btn btn-small" onClick={() => void exportVersion(v.version)}>Export</button>
                  {canRestore ? <button type="button" className="btn btn-small" onClick={() => void restore(v.version)}>Restore</button> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Modal>
  );
}
