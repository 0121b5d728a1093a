import { DirectionProvider, MantineProvider, useDirection } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { useTranslation } from 'react-i18next';
import { directionOf, isLanguage } from '../i18n/languages';
import { styleNonce } from '../lib/csp-nonce';
import { queryClient } from './query-client';
import { router } from './router';
import { cssVariablesResolver, localizedTheme } from './theme';

/** Keeps Mantine's direction in step with the language (html dir is set by the i18n module). */
function DirectionSync({ dir }: { dir: 'ltr' | 'rtl' }) {
  const { setDirection } = useDirection();
  useEffect(() => setDirection(dir), [dir, setDirection]);
  return null;
}

export function App() {
  const { i18n, t } = useTranslation();
  const closeLabel = t('common.close');
  const theme = useMemo(() => localizedTheme(closeLabel), [closeLabel]);
  const dir = directionOf(isLanguage(i18n.language) ? i18n.language : 'en');
  return (
    <DirectionProvider initialDirection={dir} detectDirection>
      <DirectionSync dir={dir} />
      <MantineProvider
        theme={theme}
        getStyleNonce={styleNonce}
        cssVariablesResolver={cssVariablesResolver}
        defaultColorScheme="light"
      >
        <Notifications position="top-center" />
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
