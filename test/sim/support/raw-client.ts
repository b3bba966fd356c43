// A bare TCP client for feeding the simulator hand-made (or broken) bytes and reading its frames.
import net from 'node:net';
import { FrameDecoder, encodeFrame, encodeHandshake } from '../../../src/sim/protocol/framing.ts';
import { SAFETY_TIMEOUT_MS } from './harness.ts';

export class RawClient {
  readonly frames: string[][] = [];
  /** The same frames as received, length prefix included. */
  readonly rawFrames: Buffer[] = [];
  closed = false;
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoder = new FrameDecoder({ expectHandshake: false });
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      while (this.pending.length >= 4 && this.pending.length >= 4 + this.pending.readUInt32BE(0)) {
        const end = 4 + this.pending.readUInt32BE(0);
        this.rawFrames.push(this.pending.subarray(0, end));
        this.pending = this.pending.subarray(end);
      }
      for (const item of this.decoder.push(chunk))
        if (item.kind === 'message') this.frames.push([...item.fields]);
      this.poke();
    });
    socket.on('close', () => {
      this.closed = true;
      this.poke();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Handshake + startApi; resolves once nextValidId arrived. */
  static async started(port: number, clientId: number, version = 'v100..193'): Promise<RawClient> {
    const c = await RawClient.connect(port);
    c.write(encodeHandshake(version));
    await c.waitFrame((f) => f.length === 2);
    c.send(['71', '2', String(clientId), '']);
    await c.waitFrame((f) => f[0] === '9');
    return c;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  send(fields: readonly string[]): void {
    this.write(encodeFrame(fields));
  }

  waitFrame(pred: (f: readonly string[]) => boolean, since = 0): Promise<readonly string[]> {
    return this.wait(() => this.frames.slice(since).find(pred), 'frame');
  }

  waitClosed(): Promise<true> {
    return this.wait(() => (this.closed ? true : undefined), 'close');
  }

  end(): void {
    this.socket.destroy();
  }

  private wait<T>(check: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const first = check();
      if (first !== undefined) return resolve(first);
      const timer = setTimeout(() => {
        this.waiters.delete(probe);
        reject(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames.slice(-5))}`));
      }, SAFETY_TIMEOUT_MS);
      const probe = (): void => {
        const v = check();
        if (v !== undefined) {
          clearTimeout(timer);
          this.waiters.delete(probe);
          resolve(v);
        }
      };
      this.waiters.add(probe);
    });
  }

  private poke(): void {
    for (const w of [...this.waiters]) w();
  }
}
