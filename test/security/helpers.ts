import { connect } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** Helpers shared by the adversarial suites under test/security (black-box: HTTP in, HTTP out). */

export const API = '/api/v1';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { field: string; message: string }[];
}

export const body = <T = Record<string, unknown>>(res: LightMyRequestResponse): T => JSON.parse(res.body) as T;
export const problem = (res: LightMyRequestResponse): Problem => body<Problem>(res);

type Method = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PATCH' | 'DELETE';

/** A JSON request through app.inject. */
export function call(
  app: FastifyInstance,
  method: Method,
  url: string,
  headers: Record<string, string> = {},
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

/**
 * Sends `request` verbatim over a plain TCP socket and resolves with the raw response text. For request shapes
 * app.inject normalises away (absolute-form targets, odd paths). The socket is closed after `timeoutMs`.
 */
export function rawHttp(port: number, request: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(buf);
    }, timeoutMs);
    socket.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
    });
    socket.on('end', () => {
      clearTimeout(timer);
      resolve(buf);
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The status code of a raw HTTP/1.1 response. */
export const rawStatus = (raw: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);

/**
 * Waits for the CRM's background work (search/storage rebuild after a classification change) to finish, whatever
 * the component is called this week (`storage`, formerly `indexer`). A no-op when there is none.
 */
export async function waitForBackgroundWork(rt: { crm: object }): Promise<void> {
  const crm = rt.crm as Record<string, unknown>;
  for (const key of ['storage', 'indexer']) {
    const worker = crm[key] as { idle?: () => Promise<void> } | undefined;
    if (worker && typeof worker.idle === 'function') await worker.idle();
  }
}
