import { lazy, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import { session, useSession } from './auth/session';
import { Layout } from './components/Layout';
import { Loading } from './components/Loading';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';

// Every page is its own chunk; the builder and the execution viewer share the canvas chunk (xyflow),
// the metrics page has the charts chunk. The first load is the shell and the login page only.
const WorkflowList = lazy(() => import('./pages/WorkflowList'));
const WorkflowBuilder = lazy(() => import('./pages/WorkflowBuilder'));
const WorkflowSetup = lazy(() => import('./pages/WorkflowSetup'));
const WorkflowExecutions = lazy(() => import('./pages/WorkflowExecutions'));
const ExecutionPage = lazy(() => import('./pages/ExecutionPage'));
const WorkflowTemplates = lazy(() => import('./pages/WorkflowTemplates'));
const IntegrationActions = lazy(() => import('./pages/IntegrationActions'));
const WorkflowMetrics = lazy(() => import('./pages/WorkflowMetrics'));
const IncidentList = lazy(() => import('./pages/IncidentList'));
const IncidentPage = lazy(() => import('./pages/IncidentPage'));
const ApprovalsInbox = lazy(() => import('./pages/ApprovalsInbox'));
const ApiKeys = lazy(() => import('./pages/ApiKeys'));
const Users = lazy(() => import('./pages/Users'));
const Hosts = lazy(() => import('./pages/Hosts'));

/** The UI's paths; the server answers index.html for each (src/api/routes/ui.ts keeps the same list). */
export function App() {
  const s = useSession();
  const location = useLocation();
  useEffect(() => {
    void session.check();
  }, []);

  if (s.status === 'loading') return <Loading label="Starting" />;
  if (s.status === 'anonymous') {
    return location.pathname === '/login' ? <LoginPage /> : <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Navigate to="/workflows" replace />} />
          <Route path="/login" element={<AfterLogin />} />
          <Route path="/workflows" element={<WorkflowList />} />
          <Route path="/workflows/:id" element={<WorkflowBuilder />} />
          <Route path="/workflows/:id/setup" element={<WorkflowSetup />} />
          <Route path="/executions" element={<WorkflowExecutions />} />
          <Route path="/executions/:id" element={<ExecutionPage />} />
          <Route path="/templates" element={<WorkflowTemplates />} />
          <Route path="/integrations" element={<IntegrationActions />} />
          <Route path="/dashboard" element={<WorkflowMetrics />} />
          <Route path="/incidents" element={<IncidentList />} />
          <Route path="/incidents/:id" element={<IncidentPage />} />
          <Route path="/approvals" element={<ApprovalsInbox />} />
          <Route path="/hosts" element={<Hosts />} />
          <Route path="/api-keys" element={<ApiKeys />} />
          <Route path="/users" element={<Users />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

/** Back to where the user was sent to the login page from (same-origin paths only). */
function AfterLogin() {
  const [params] = useSearchParams();
  const next = params.get('next') ?? '';
  return <Navigate to={next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/workflows'} replace />;
}
