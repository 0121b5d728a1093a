import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { registerStepUp } from '../../lib/step-up';

const StepUpDialog = lazy(async () => ({ default: (await import('./StepUpDialog')).StepUpDialog }));

/**
 * Mounted once in the signed-in layout: opens "Confirm it is you" when a sensitive action asks for step-up. The
 * dialog (and the WebAuthn code it needs) loads only then, keeping it out of the first page's JavaScript.
 */
export function StepUpHost() {
  const [open, setOpen] = useState(false);
  const settle = useRef<((ok: boolean) => void) | null>(null);
  useEffect(
    () =>
      registerStepUp(
        () =>
          new Promise<boolean>((resolve) => {
            settle.current?.(false);
            settle.current = resolve;
            setOpen(true);
          }),
      ),
    [],
  );
  if (!open) return null;
  return (
    <Suspense fallback={null}>
      <StepUpDialog
        onDone={(ok) => {
          settle.current?.(ok);
          settle.current = null;
          setOpen(false);
        }}
      />
    </Suspense>
  );
}
