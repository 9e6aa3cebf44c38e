import { errorMessage } from '../api/client';

/** A failed load or action, said plainly, with a retry when there is one. */
export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error === undefined || error === null) return null;
  return (
    <div className="banner banner-error" role="alert">
      <span>{errorMessage(error)}</span>
      {onRetry ? <button type="button" className="btn btn-small" onClick={onRetry}>Try again</button> : null}
    </div>
  );
}
