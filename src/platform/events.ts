/**
 * One bus for everything that must leave evidence. Audit, detection and SIEM export subscribe here;
 * emitters never know who listens. Handlers run after the emitter's work, errors in a handler are
 * reported to `onHandlerError` and never break the request that emitted the event.
 */
export interface EventContext {
  actorId: string | null;
  actorType: 'user' | 'token' | 'system' | 'anonymous';
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface SeparEvent {
  type: string;
  at: string;
  outcome: 'success' | 'failure';
  context: EventContext;
  target?: { type: string; id: string } | undefined;
  detail?: Record<string, unknown> | undefined;
}

export type EventHandler = (event: SeparEvent) => void | Promise<void>;

export class EventBus {
  private readonly handlers = new Set<EventHandler>();

  constructor(private readonly onHandlerError: (err: unknown, event: SeparEvent) => void) {}

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  emit(event: SeparEvent): void {
    for (const h of this.handlers) {
      try {
        const r = h(event);
        if (r instanceof Promise) r.catch((err: unknown) => this.onHandlerError(err, event));
      } catch (err) {
        this.onHandlerError(err, event);
      }
    }
  }
}

export const systemContext = (): EventContext => ({
  actorId: null,
  actorType: 'system',
  ip: null,
  userAgent: null,
  requestId: null,
});
