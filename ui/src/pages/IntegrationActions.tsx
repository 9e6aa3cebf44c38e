import { useLocation, useNavigate } from 'react-router';
import { catalogue } from '../api/endpoints';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { ActionCatalogue } from '../components/ActionCatalogue';
import { CredentialsManager } from '../components/CredentialsManager';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';

/** IntegrationActions: the action catalogue and the credentials those actions use. */
export default function IntegrationActions() {
  const me = useMe();
  const { hash } = useLocation();
  const navigate = useNavigate();
  const tab = hash === '#credentials' ? 'credentials' : 'actions';
  const actions = useResource(() => catalogue.actions(), []);
  return (
    <div className="page">
      <PageHeader title="Integrations" subtitle="What workflows can do, and the credentials they do it with." />
      <div className="tabs" role="tablist" aria-label="Integrations">
        <button type="button" role="tab" id="tab-actions" aria-controls="panel-integrations" aria-selected={tab === 'actions'} className={tab === 'actions' ? 'tab active' : 'tab'} onClick={() => void navigate({ hash: '' }, { replace: true })}>Actions</button>
        <button type="button" role="tab" id="tab-credentials" aria-controls="panel-integrations" aria-selected={tab === 'credentials'} className={tab === 'credentials' ? 'tab active' : 'tab'} onClick={() => void navigate({ hash: '#credentials' }, { replace: true })}>Credentials</button>
      </div>
      <div role="tabpanel" id="panel-integrations" aria-labelledby={tab === 'actions' ? 'tab-actions' : 'tab-credentials'}>
        {tab === 'credentials' ? <CredentialsManager editable={hasRole(me, 'editor')} /> : (
          <>
            <ErrorBanner error={actions.error} onRetry={() => void actions.reload()} />
            {actions.data ? <ActionCatalogue actions={actions.data.items} /> : actions.loading ? <Loading /> : null}
          </>
        )}
      </div>
    </div>
  );
}
