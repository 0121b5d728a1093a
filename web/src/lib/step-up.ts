import { isApiError } from './api/problem';

/**
 * Sensitive actions (role changes, access-review decisions, disabling accounts …) need a session that proved who
 * it is in the last minutes; otherwise the API answers 401 SEPAR_ERR_STEP_UP_REQUIRED. `withStepUp` runs the
 * action, and on that answer asks the person to confirm (the dialog mounted in the layout) and runs it once more.
 */
type Opener = () => Promise<boolean>;
let opener: Opener | null = null;

/** The mounted step-up dialog registers itself here; returns the unregister function. */
export function registerStepUp(open: Opener): () => void {
  opener = open;
  return () => {
    if (opener === open) opener = null;
  };
}

export const isStepUpRequired = (e: unknown): boolean => isApiError(e) && e.code === 'SEPAR_ERR_STEP_UP_REQUIRED';

export async function withStepUp<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (!isStepUpRequired(e) || !opener) throw e;
    const confirmed = await opener();
    if (!confirmed) throw e;
    return action();
  }
}
