import { StatusBadge } from '../StatusBadge';

export interface ToolbarProps {
  readonly name: string;
  readonly status: string;
  readonly activeVersion: number | null;
  readonly dirty: boolean;
  readonly editable: boolean;
  readonly canRun: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly saving: boolean;
  readonly running: boolean;
  readonly activating: boolean;
  readonly onSave: () => void;
  /** Activation is its own command: Save never changes the status. */
  readonly onActivate: () => void;
  readonly onDeactivate: () => void;
  readonly onRun: () => void;
  readonly onUndo: () => void;
  readonly onRedo: () => void;
  readonly onLayout: () => void;
  readonly onCopy: () => void;
  readonly onPaste: () => void;
  readonly onVersions: () => void;
  readonly onSettings: () => void;
  readonly onExport: () => void;
  readonly onImport: (f: File) => void;
}

/** The builder's commands; every one also has a keyboard shortcut where editors usually have one. */
export function BuilderToolbar(p: ToolbarProps) {
  return (
    <div className="builder-toolbar" role="toolbar" aria-label="Workflow commands">
      <div className="builder-title">
        <h1>{p.name}</h1>
        <StatusBadge status={p.status} />
        {p.activeVersion ? <span className="muted small">v{p.activeVersion} active</span> : null}
        {p.dirty ? <span className="unsaved" role="status">Unsaved changes</span> : null}
      </div>
      <div className="toolbar-buttons">
        {p.editable ? (
          <>
            <button type="button" className="btn btn-small" onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)">Undo</button>
            <button type="button" className="btn btn-small" onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
            <button type="button" className="btn btn-small" onClick={p.onCopy} title="Copy selection (Ctrl+C)">Copy</button>
            <button type="button" className="btn btn-small" onClick={p.onPaste} title="Paste (Ctrl+V)">Paste</button>
            <button type="button" className="btn btn-small" onClick={p.onLayout} title="Arrange nodes left to right">Auto-layout</button>
          </>
        ) : null}
        <button type="button" className="btn btn-small" onClick={p.onSettings}>Settings</button>
        <button type="button" className="btn btn-small" onClick={p.onVersions}>Versions</button>
        <button type="button" className="btn btn-small" onClick={p.onExport}>Export</button>
        {p.editable ? (
          <label className="btn btn-small file-button">
            Import
            <input type="file" accept="application/json,.json" className="sr-only" onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) p.onImport(f);
              e.target.value = '';
            }} />
          </label>
        ) : null}
        {p.editable ? <button type="button" className="btn btn-small btn-primary" onClick={p.onSave} disabled={p.saving} title={p.status === 'active' ? 'Save and publish as the running version (Ctrl+S)' : 'Save the draft; the status stays as it is (Ctrl+S)'}>{p.saving ? 'Saving…' : 'Save'}</button> : null}
        {p.editable && p.status !== 'active' ? <button type="button" className="btn btn-small" onClick={p.onActivate} disabled={p.activating || p.saving} title="Check the workflow, then start its triggers">{p.activating ? 'Activating…' : 'Activate'}</button> : null}
        {p.editable && p.status === 'active' ? <button type="button" className="btn btn-small" onClick={p.onDeactivate} disabled={p.activating} title="Stop its triggers">Deactivate</button> : null}
        {p.canRun ? <button type="button" className="btn btn-small btn-run" onClick={p.onRun} disabled={p.running}>{p.running ? 'Running…' : 'Run'}</button> : null}
      </div>
    </div>
  );
}
