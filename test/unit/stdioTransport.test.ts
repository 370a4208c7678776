/** The server's stdio writer: one write per message, framed so that the library's own reader reads it back. */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { Message, RemoteConsole, StreamMessageReader } from 'vscode-languageserver/node';
import { ByteSink, OneWriteMessageWriter, routeConsoleTo } from '../../server/src/stdioTransport';

class RecordingSink implements ByteSink {
  readonly chunks: Buffer[] = [];
  failWith?: Error;
  private readonly listeners: { error: ((error: Error) => void)[]; close: (() => void)[] } = { error: [], close: [] };

  write(chunk: Buffer, callback: (error?: Error | null) => void): boolean {
    this.chunks.push(Buffer.from(chunk));
    const failure = this.failWith;
    process.nextTick(() => callback(failure));
    return true;
  }

  on(event: 'error' | 'close', listener: (error: Error) => void): this {
    (this.listeners[event] as ((error: Error) => void)[]).push(listener);
    return this;
  }

  emit(event: 'error', error: Error): void;
  emit(event: 'close'): void;
  emit(event: 'error' | 'close', error?: Error): void {
    for (const listener of this.listeners[event]) (listener as (error?: Error) => void)(error);
  }
}

/** What the library's reader makes of the bytes written: the messages, in order. */
async function readBack(bytes: Buffer, count: number): Promise<Message[]> {
  const stream = new PassThrough();
  const reader = new StreamMessageReader(stream);
  const messages: Message[] = [];
  const done = new Promise<void>((resolve) =>
    reader.listen((message) => {
      messages.push(message);
      if (messages.length === count) resolve();
    }),
  );
  // Byte by byte: the frame's length, not the chunking, must tell where a message ends.
  for (const byte of bytes) stream.write(Buffer.of(byte));
  await done;
  reader.dispose();
  return messages;
}

describe('OneWriteMessageWriter', () => {
  it('writes header and body in one write, with the body length in bytes', async () => {
    const sink = new RecordingSink();
    const writer = new OneWriteMessageWriter(sink);
    const messages: Message[] = [
      { jsonrpc: '2.0', id: 1, result: { message: 'O pré-script não existe: a ação falha 🙁' } } as Message,
      { jsonrpc: '2.0', method: 'vmsnapshot/outcome', params: { text: 'ok' } } as Message,
    ];
    for (const message of messages) await writer.write(message);

    assert.equal(sink.chunks.length, messages.length, 'one write per message');
    const [first] = sink.chunks;
    const headerEnd = first.indexOf('\r\n\r\n');
    const length = Number(/^Content-Length: (\d+)$/.exec(first.subarray(0, headerEnd).toString('ascii'))?.[1]);
    assert.equal(length, first.length - headerEnd - 4, 'the whole body follows its header');
    assert.ok(length > JSON.stringify(messages[0]).length, 'accented letters and the emoji count in bytes');
    assert.deepEqual(await readBack(Buffer.concat(sink.chunks), messages.length), messages);
  });

  it('reports a failed write to the connection and to the caller', async () => {
    const sink = new RecordingSink();
    const writer = new OneWriteMessageWriter(sink);
    const reported: Error[] = [];
    writer.onError(([error]) => reported.push(error));
    sink.failWith = new Error('EPIPE');
    await assert.rejects(writer.write({ jsonrpc: '2.0' } as Message), /EPIPE/);
    assert.deepEqual(reported.map((error) => error.message), ['EPIPE']);
  });

  it('tells the connection when the stream fails or closes', () => {
    const sink = new RecordingSink();
    const writer = new OneWriteMessageWriter(sink);
    const events: string[] = [];
    writer.onError(([error]) => events.push(`error ${error.message}`));
    writer.onClose(() => events.push('close'));
    sink.emit('error', new Error('EBADF'));
    sink.emit('close');
    assert.deepEqual(events, ['error EBADF', 'close']);
  });
});

describe('routeConsoleTo', () => {
  it('sends what modules print to the editor, never to stdout', () => {
    const sent: string[] = [];
    const remote = Object.fromEntries(['log', 'info', 'warn', 'error'].map((level) => [level, (message: string) => sent.push(`${level}: ${message}`)])) as unknown as RemoteConsole;
    const target = { log() {}, info() {}, debug() {}, warn() {}, error() {}, trace() {} } as Pick<Console, 'log' | 'info' | 'debug' | 'warn' | 'error' | 'trace'>;
    routeConsoleTo(remote, target);
    target.log('checked %d files', 3);
    target.warn({ path: '/etc/azure' });
    target.error('failed');
    assert.deepEqual(sent, ['log: checked 3 files', "warn: { path: '/etc/azure' }", 'error: failed']);
  });
});
