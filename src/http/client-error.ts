import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppError } from '../platform/app-error.js';
import { problemFrom } from './problem.js';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them — a malformed request line, conflicting
 * Content-Length / Transfer-Encoding, headers over the limit, headers or a body too slow to arrive. Node would
 * answer them itself with a bare JSON body and none of Separ's headers; these answers are problem+json with a stable
 * code and the same security headers as every other response, and the connection is closed (the parser's state is
 * not to be trusted after such a request). Built once: nothing of the request is echoed.
 */
export function clientErrorHandler(
  headers: readonly (readonly [string, string])[],
): (err: NodeJS.ErrnoException, socket: Socket) => void {
  const answer = (err: AppError): string => {
    const { requestId: _none, ...problem } = problemFrom(err, '');
    const body = JSON.stringify(problem);
    const lines = [
      `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? 'Error'}`,
      ...headers.map(([name, value]) => `${name}: ${value}`),
      'content-type: application/problem+json; charset=utf-8',
      'cache-control: no-store',
      'connection: close',
      `content-length: ${Buffer.byteLength(body)}`,
    ];
    return `${lines.join('\r\n')}\r\n\r\n${body}`;
  };
  const timeout = answer(
    new AppError('SEPAR_ERR_REQUEST_TIMEOUT', 'Request timeout', {
      detail: 'The request did not arrive in time.',
    }),
  );
  const tooLarge = answer(
    new AppError('SEPAR_ERR_HEADERS_TOO_LARGE', 'Request headers too large', {
      detail: 'The request headers exceed the size limit.',
    }),
  );
  const bad = answer(
    new AppError('SEPAR_ERR_BAD_REQUEST', 'Bad request', { detail: 'The request is not valid HTTP/1.1.' }),
  );
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    // A response already under way on this connection: an answer now would land inside its body.
    if ((socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const text =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? timeout : err.code === 'HPE_HEADER_OVERFLOW' ? tooLarge : bad;
    if (socket.writable) socket.end(text);
    socket.destroySoon();
  };
}
