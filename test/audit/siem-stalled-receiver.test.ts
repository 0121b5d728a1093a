import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type Socket } from 'node:net';
import { createTransport } from '../../src/security/audit/siem/siem-transport.js';

/**
 * A syslog receiver that stops reading (hung, swapping, a full disk) keeps its TCP connection open: the kernel
 * goes on accepting bytes until both hosts' buffers are full, and then a write simply never completes. The
 * forwarder must not wait for ever, silently holding back every later entry: the write times out, the
 * connection is dropped, and what it carried is sent again (a review's finding).
 */
describe('SIEM stream transport against a receiver that stopped reading', () => {
  const held: Socket[] = [];
  const server = createServer((socket) => {
    socket.pause();
    held.push(socket);
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up on the write after the timeout and drops the connection', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const transport = createTransport(`tcp://127.0.0.1:${port}`, { writeTimeoutMs: 300 });
    // Far more than loopback's socket buffers hold.
    const frames = Array.from({ length: 64 }, () => Buffer.alloc(1024 * 1024, 0x41));
    const started = Date.now();
    await expect(transport.send(frames)).rejects.toThrow(/took no data for 300 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(transport.alive(transport.generation)).toBe(false);
    transport.close();
  });
});
