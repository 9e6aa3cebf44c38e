import { credentialRefs } from './credential-refs.js';
import { PREFLIGHT_CODES, type PreflightCheck, type PreflightProblem } from './preflight-problem.js';

/** Every credential a step names exists (by id or name, as the vault finds it) and is of a type the step can use. */
export const checkCredentials: PreflightCheck = (def, facts) => {
  const problems: PreflightProblem[] = [];
  for (const ref of credentialRefs(def)) {
    const cred = facts.credentials.find((c) => c.id === ref.id) ?? facts.credentials.find((c) => c.name === ref.id);
    const wanted = ref.types.join(', ');
    if (!cred) {
      problems.push({
        code: PREFLIGHT_CODES.credentialMissing, message: `credential "${ref.id}" does not exist: create a ${ref.types.join(' or ')} credential named "${ref.id}"`,
        path: ref.path, node_id: ref.node_id, credential_id: ref.id, credential_type: wanted,
      });
    } else if (!ref.types.includes(cred.type)) {
      problems.push({
        code: PREFLIGHT_CODES.credentialType, message: `credential "${cred.name}" is of type ${cred.type}; this step needs ${ref.types.join(' or ')}`,
        path: ref.path, node_id: ref.node_id, credential_id: cred.id, credential_type: wanted,
      });
    }
  }
  return { problems, warnings: [] };
};
