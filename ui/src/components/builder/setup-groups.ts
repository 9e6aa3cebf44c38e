import type { PreflightProblem } from '../../api/first-run';

export interface SetupGroups {
  /** One entry per credential to create, however many steps name it. */
  readonly credentials: readonly PreflightProblem[];
  /** Server settings (allow-lists) the steps need. */
  readonly settings: readonly PreflightProblem[];
  readonly other: readonly PreflightProblem[];
}

/** Sorts a preflight's problems into what the setup view asks for. */
export function setupGroups(problems: readonly PreflightProblem[]): SetupGroups {
  const seen = new Set<string>();
  const credentials = problems.filter((p) => {
    if (!p.credential_id) return false;
    const key = `${p.code}\u0000${p.credential_id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    credentials,
    settings: problems.filter((p) => p.setting && !p.credential_id),
    other: problems.filter((p) => !p.setting && !p.credential_id),
  };
}
