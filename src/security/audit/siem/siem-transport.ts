import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

/**
 * How bytes reach the SIEM. `send` resolves when the bytes were accepted: by the kernel for a stream
 * (tcp://, tls:// — plain syslog has no application acknowledgement, see SiemForwarder), by a 2xx
 * answer for https://. `generation` changes whenever a stream connection is replaced, so the forwarder
 * knows which unacknowledged sends a broken connection may have lost.
 */
export interface SiemTransport {
  readonly acknowledged: boolean;
  readonly generation: number;
  /** True while the connection that carried `generation` is still up. */
  alive(generation: number): boolean;
  send(frames: readonly Buffer[]): Promise<void>;
  close(): void;
}

export interface TransportOptions {
  ca: string | null;
  token: string | null;
  connectTimeoutMs: number;
  /**
   * How long a stream receiver may leave sent bytes unread (its and this host's socket buffers full) before the
   * connection is dropped: what it did not take is then sent again on a new one, and the delay is logged, where a
   * receiver that stopped reading would otherwise hold every later entry back without a word.
   */
  writeTimeoutMs: number;
}

const CONNECT_TIMEOUT = 5000;
const WRITE_TIMEOUT = 15_000;

class StreamTransport implements SiemTransport {
  readonly acknowledged = false;
  private socket: Socket | TLSSocket | null = null;
  private gen = 0;
  private liveGen = -1;
  private connecting: Promise<Socket | TLSSocket> | null = null;

  constructor(
    private readonly url: URL,
    private readonly opts: TransportOptions,
  ) {}

  get generation(): number {
    return this.gen;
  }

  alive(generation: number): boolean {
    return this.socket !== null && this.liveGen === generation;
  }

  private connect(): Promise<Socket | TLSSocket> {
    if (this.socket) return Promise.resolve(this.socket);
    if (this.connecting) return this.connecting;
    const host = this.url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(this.url.port || (this.url.protocol === 'tls:' ? 6514 : 514));
    this.connecting = new Promise<Socket | TLSSocket>((resolve, reject) => {
      const secure = this.url.protocol === 'tls:';
      const socket = secure
        ? tlsConnect({
            host,
            port,
            ...(isIP(host) ? {} : { servername: host }),
            ...(this.opts.ca ? { ca: this.opts.ca } : {}),
            minVersion: 'TLSv1.2',
          })
        : tcpConnect({ host, port });
      const timer = setTimeout(
        () => socket.destroy(new Error('SIEM connection timed out')),
        this.opts.connectTimeoutMs,
      );
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.setKeepAlive(true, 10_000);
        socket.setNoDelay(true);
        this.gen++;
        this.liveGen = this.gen;
        this.socket = socket;
        this.connecting = null;
        const gone = (): void => {
          if (this.socket === socket) {
            this.socket = null;
            this.liveGen = -1;
          }
        };
        socket.on('close', gone);
        socket.on('end', () => {
          gone();
          socket.destroy();
        });
        socket.on('error', gone);
        // The receiver never talks back on syslog; anything it sends is ignored.
        socket.on('data', () => undefined);
        resolve(socket);
      });
      socket.once('error', (err: Error) => {
        clearTimeout(timer);
        this.connecting = null;
        reject(err);
      });
    });
    return this.connecting;
  }

  async send(frames: readonly Buffer[]): Promise<void> {
    const socket = await this.connect();
    const gen = this.gen;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new Error(`SIEM receiver took no data for ${this.opts.writeTimeoutMs} ms`);
        socket.destroy(err);
        reject(err);
      }, this.opts.writeTimeoutMs);
      socket.write(Buffer.concat(frames), (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      });
    });
    if (!this.alive(gen)) throw new Error('SIEM connection closed while sending');
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
    this.liveGen = -1;
  }
}

class HttpsTransport implements SiemTransport {
  readonly acknowledged = true;
  readonly generation = 0;

  constructor(
    private readonly url: URL,
    private readonly opts: TransportOptions,
  ) {}

  alive(): boolean {
    return true;
  }

  send(frames: readonly Buffer[]): Promise<void> {
    const body = Buffer.concat(frames);
    return new Promise<void>((resolve, reject) => {
      const req = httpsRequest(
        this.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-ndjson',
            'content-length': String(body.length),
            ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
          },
          ...(this.opts.ca ? { ca: this.opts.ca } : {}),
          minVersion: 'TLSv1.2',
          timeout: this.opts.connectTimeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new Error(`SIEM answered HTTP ${status}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('SIEM request timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    // Nothing held open between batches.
  }
}

export function createTransport(url: string, opts: Partial<TransportOptions> = {}): SiemTransport {
  const u = new URL(url);
  const full: TransportOptions = {
    ca: opts.ca ?? null,
    token: opts.token ?? null,
    connectTimeoutMs: opts.connectTimeoutMs ?? CONNECT_TIMEOUT,
    writeTimeoutMs: opts.writeTimeoutMs ?? WRITE_TIMEOUT,
  };
  if (u.protocol === 'https:') return new HttpsTransport(u, full);
  if (u.protocol === 'tcp:' || u.protocol === 'tls:') return new StreamTransport(u, full);
  throw new Error(`unsupported SIEM URL scheme ${u.protocol}`);
}
