import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { SETUP_CODES } from '../lib/api/mfa';
import { isApiError } from '../lib/api/problem';

/** Raised when the API says the account must finish setting up (e.g. enrol MFA) before anything else. */
export const SETUP_EVENT = 'separ:account-setup-required';
const watchSetup = (error: unknown) => {
  if (isApiError(error) && SETUP_CODES.has(error.code)) window.dispatchEvent(new Event(SETUP_EVENT));
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: watchSetup }),
  mutationCache: new MutationCache({ onError: watchSetup }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Retrying a refusal (4xx) only repeats it; retry once on network trouble or a 5xx.
      retry: (count, error) => count < 1 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});
