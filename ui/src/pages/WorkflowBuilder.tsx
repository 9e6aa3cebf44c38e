import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, errorMessage } from '../api/client';
import { catalogue, workflows } from '../api/endpoints';
import { firstRun, type PreflightProblem } from '../api/first-run';
import type { NodeType, Viewport, Workflow } from '../api/types';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { GraphStore } from '../canvas/graph-store';
import { handlesFrom } from '../canvas/handles';
import { DEFAULT_CONFIG } from '../canvas/node-meta';
import { nodeStatuses } from '../canvas/run-state';
import { ActivateDialog, type ActivationCheck } from '../components/builder/ActivateDialog';
import { BuilderSidePanel } from '../components/builder/BuilderSidePanel';
import { BuilderToolbar } from '../components/builder/BuilderToolbar';
import { HandlesContext } from '../components/builder/handles-context';
import { NodePalette } from '../components/builder/NodePalette';
import { RunDialog, type RunRequest } from '../components/builder/RunDialog';
import { markProblems, saveWorkflow } from '../components/builder/save-workflow';
import { useBuilderKeys } from '../components/builder/use-builder-keys';
import { useExecutionFollow } from '../components/builder/use-execution-follow';
import { VersionHistory } from '../components/builder/VersionHistory';
import { WorkflowCanvas } from '../components/builder/WorkflowCanvas';
import { WorkflowSettings, type WorkflowMeta } from '../components/builder/WorkflowSettings';
import { downloadJson, readJsonFile } from '../components/download';
import { Loading } from '../components/Loading';
import { toast } from '../components/toast-store';
import { WorkflowNotFound } from './WorkflowNotFound';

function metaOf(w: Workflow): WorkflowMeta {
  return { name: w.name, description: w.description ?? '', category: w.category ?? '', tags: w.tags, settings: w.settings, variables: w.variables };
}

export default function WorkflowBuilderPage() {
  const { id = '' } = useParams();
  const wf = useResource(() => workflows.get(id), [id]);
  const cat = useResource(() => Promise.all([catalogue.nodeTypes(), catalogue.actions(), catalogue.triggerTypes()]), []);
  if (wf.error || cat.error) return <WorkflowNotFound error={wf.error ?? cat.error} onRetry={() => void (wf.error ? wf.reload() : cat.reload())} />;
  if (!wf.data || !cat.data) return <Loading label="Opening workflow" />;
  return (
    <ReactFlowProvider>
      <Builder key={`${wf.data.id}:${wf.data.draft_revision}`} initial={wf.data} catalogue={cat.data} reload={wf.reload} />
    </ReactFlowProvider>
  );
}

type Catalogue = [Awaited<ReturnType<typeof catalogue.nodeTypes>>, Awaited<ReturnType<typeof catalogue.actions>>, Awaited<ReturnType<typeof catalogue.triggerTypes>>];

function Builder({ initial, catalogue: [nodeTypes, actions, triggerTypes], reload }: { initial: Workflow; catalogue: Catalogue; reload: () => Promise<void> }) {
  const me = useMe();
  const navigate = useNavigate();
  const flow = useReactFlow();
  const editable = hasRole(me, 'editor');
  const canRun = hasRole(me, 'operator');
  const handlesOf = useMemo(() => handlesFrom(nodeTypes.items), [nodeTypes]);
  const [store] = useState(() => {
    const s = new GraphStore(handlesOf);
    s.load(initial);
    return s;
  });
  const [wf, setWf] = useState(initial);
  const [meta, setMeta] = useState(() => metaOf(initial));
  const [metaDirty, setMetaDirty] = useState(false);
  const viewport = useRef<Viewport | null>(initial.viewport);
  const [saving, setSaving] = useState(false);
  const [starting, setStarting] = useState(false);
  const [dialog, setDialog] = useState<'run' | 'versions' | 'settings' | undefined>();
  const [general, setGeneral] = useState<readonly string[]>([]);
  const [fitKey, setFitKey] = useState(0);
  const { run, follow, clear } = useExecutionFollow();
  // The summary, not the graph: dragging a node re-renders the canvas, not this page.
  const summary = useSyncExternalStore(store.subscribe, store.getSummary);

  useEffect(() => store.setStatuses(run ? nodeStatuses(run.runs.values()) : undefined), [store, run]);

  const dirty = metaDirty || summary.dirty;
  const setViewport = useCallback((v: Viewport) => {
    viewport.current = v;
  }, []);

  const save = useCallback(async (): Promise<Workflow | undefined> => {
    setSaving(true);
    try {
      const r = await saveWorkflow(wf, meta, store, viewport.current);
      setWf(r.workflow);
      setMetaDirty(false);
      if (r.kind === 'draft') {
        setGeneral(r.problems.general);
        if (r.count === 0) toast(`Draft saved; still ${r.workflow.status}: Activate starts its triggers`, 'success');
        else toast(`Draft saved; ${r.count} problem${r.count === 1 ? '' : 's'} to fix before it can be activated (marked on the nodes)`, 'error');
        return r.workflow;
      }
      if (r.kind === 'published') {
        setGeneral([]);
        toast(`Saved: version ${r.workflow.active_version ?? ''} published`, 'success');
        return r.workflow;
      }
      setGeneral(r.problems.general);
      toast(`Draft saved, but not published: ${r.count} problem${r.count === 1 ? '' : 's'} (marked on the nodes)`, 'error');
      return undefined;
    } catch (err) {
      toast(errorMessage(err), 'error');
      return undefined;
    } finally {
      setSaving(false);
    }
  }, [wf, meta, store]);

  useBuilderKeys(store, editable, () => void save());

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (metaDirty || store.dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [store, metaDirty]);

  const startRun = async (req: RunRequest) => {
    setStarting(true);
    try {
      let target = wf;
      if (editable && dirty) {
        const saved = await save();
        if (!saved) return;
        target = saved;
      }
      // A workflow that is not active runs its saved draft as a test run: running never activates it.
      const x = await workflows.execute(target.id, { input_data: req.input_data, variables: req.variables, ...(target.status === 'active' ? {} : { mode: 'test' as const }) });
      setDialog(undefined);
      store.select([]);
      follow(x);
      toast(`Execution ${x.id} started`, 'info');
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setStarting(false);
    }
  };

  const [activating, setActivating] = useState(false);
  const [check, setCheck] = useState<ActivationCheck>();
  const activateNow = async () => {
    setActivating(true);
    try {
      const r = await firstRun.activate(wf.id);
      setWf(r);
      setCheck(undefined);
      store.setProblems(new Map());
      toast(`Activated: version ${r.active_version ?? ''} is live`, 'success');
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        markProblems(err, store);
        setCheck({ problems: err.problems as unknown as PreflightProblem[], warnings: [] });
      } else toast(errorMessage(err), 'error');
    } finally {
      setActivating(false);
    }
  };
  const activate = async () => {
    if (dirty && !(await save())) return;
    setActivating(true);
    try {
      const found = await firstRun.preflight(wf.id);
      setActivating(false);
      if (found.problems.length || found.warnings.length) setCheck(found);
      else await activateNow();
    } catch (err) {
      setActivating(false);
      toast(errorMessage(err), 'error');
    }
  };
  const deactivate = async () => {
    try {
      setWf(await workflows.deactivate(wf.id));
      toast('Deactivated: its triggers no longer fire', 'info');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const addAtCentre = (t: NodeType) => {
    const box = document.querySelector('.canvas')?.getBoundingClientRect();
    const p = flow.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 800) / 2, y: (box?.top ?? 0) + (box?.height ?? 600) / 2 });
    const jitter = (summary.nodeCount % 5) * 24;
    store.addNode(t, { x: Math.round(p.x - 110 + jitter), y: Math.round(p.y - 32 + jitter) }, { ...(DEFAULT_CONFIG[t] ?? {}) });
  };

  const doImport = async (f: File) => {
    try {
      const created = await workflows.importDoc(await readJsonFile(f));
      toast(`Imported as “${created.name}”`, 'success');
      void navigate(`/workflows/${created.id}`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  return (
    <HandlesContext.Provider value={handlesOf}>
      <div className="builder">
        <BuilderToolbar
          name={meta.name} status={wf.status} activeVersion={wf.active_version} dirty={dirty} editable={editable} canRun={canRun}
          canUndo={summary.canUndo} canRedo={summary.canRedo} saving={saving} running={starting || (run?.live ?? false)}
          activating={activating} onActivate={() => void activate()} onDeactivate={() => void deactivate()}
          onSave={() => void save()} onRun={() => setDialog('run')} onUndo={() => store.undo()} onRedo={() => store.redo()}
          onLayout={() => {
            store.layout();
            requestAnimationFrame(() => setFitKey((k) => k + 1));
          }}
          onCopy={() => toast(`Copied ${store.copy()} node(s)`)} onPaste={() => store.paste()}
          onVersions={() => setDialog('versions')} onSettings={() => setDialog('settings')}
          onExport={() => void workflows.exportDoc(wf.id).then((d) => downloadJson(`${meta.name}.json`, d), (err: unknown) => toast(errorMessage(err), 'error'))}
          onImport={(f) => void doImport(f)}
        />
        <div className="builder-body">
          {editable ? <NodePalette types={nodeTypes.items} onAdd={addAtCentre} /> : null}
          <WorkflowCanvas store={store} editable={editable} initialViewport={initial.viewport} onViewport={setViewport} fitKey={fitKey} />
          <BuilderSidePanel
            workflowId={wf.id} summary={summary} store={store} nodeTypes={nodeTypes.items} actions={actions.items} triggerTypes={triggerTypes.items}
            editable={editable} run={run} onClearRun={clear} generalProblems={general}
          />
        </div>
        {check ? <ActivateDialog check={check} busy={activating} onClose={() => setCheck(undefined)} onActivate={() => void activateNow()} /> : null}
        {dialog === 'run' ? <RunDialog open variables={meta.variables} busy={starting} onClose={() => setDialog(undefined)} onRun={(r) => void startRun(r)} /> : null}
        <VersionHistory
          workflowId={wf.id} name={meta.name} open={dialog === 'versions'} canRestore={editable} onClose={() => setDialog(undefined)}
          onRestored={() => void reload()}
        />
        {dialog === 'settings' ? (
          <WorkflowSettings open meta={meta} onClose={() => setDialog(undefined)} onApply={(m) => {
            setMeta(m);
            setMetaDirty(true);
          }} />
        ) : null}
      </div>
    </HandlesContext.Provider>
  );
}
