import { format } from 'util';
import { AbstractMessageWriter, Connection, createConnection, Message, MessageWriter, ProposedFeatures, RemoteConsole, StreamMessageReader } from 'vscode-languageserver/node';

/** The part of a stream the writer needs: a test hands it a recorder. */
export interface ByteSink {
  write(chunk: Buffer, callback: (error?: Error | null) => void): boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * Writes each LSP message — its `Content-Length` header and its JSON — in one write.
 *
 * The library's stream writer writes the header and the body apart, one turn of the event loop
 * after the answer is ready: two system calls per message (each a tenth of a millisecond in a
 * sandbox, as much as the analysis of a keystroke), and two reads for the editor.
 */
export class OneWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly sink: ByteSink) {
    super();
    sink.on('error', (error) => this.fireError(error));
    sink.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    const json = JSON.stringify(message);
    const bodyLength = Buffer.byteLength(json, 'utf8');
    const header = `Content-Length: ${bodyLength}\r\n\r\n`;
    const frame = Buffer.allocUnsafe(header.length + bodyLength);
    frame.write(header, 0, 'ascii');
    frame.write(json, header.length, 'utf8');
    return new Promise((resolve, reject) => {
      this.sink.write(frame, (error) => {
        if (!error) return resolve();
        this.fireError(error, message, ++this.errorCount);
        reject(error);
      });
    });
  }

  /** stdout is the process's own: it closes when the server exits, not when the connection ends. */
  end(): void {}
}

type ConsoleMethod = 'log' | 'info' | 'debug' | 'warn' | 'error' | 'trace';

/**
 * Over stdio, stdout is the protocol: a stray `console.log` from any module would corrupt it. The
 * library reroutes the console only when it opens stdio itself, so we do it for our writer.
 */
export function routeConsoleTo(remote: RemoteConsole, target: Pick<Console, ConsoleMethod> = console): void {
  const to = (send: (message: string) => void) => (...args: unknown[]) => send(format(...args));
  target.log = to((message) => remote.log(message));
  target.info = to((message) => remote.info(message));
  target.debug = to((message) => remote.log(message));
  target.trace = to((message) => remote.log(message));
  target.warn = to((message) => remote.warn(message));
  target.error = to((message) => remote.error(message));
}

/**
 * The server's connection. Over stdio it gets our writer, and with it the two safeguards the
 * library skips once given a writer of ours: console output routed to the editor, and an exit
 * when the editor goes away without `exit` (code 0 only after `shutdown`). Otherwise (node IPC,
 * as VS Code starts it) the library picks the transport from the command line.
 */
export function connect(overStdio: boolean): Connection {
  if (!overStdio) return createConnection(ProposedFeatures.all);
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new OneWriteMessageWriter(process.stdout));
  routeConsoleTo(connection.console);
  let shutdownAsked = false;
  connection.onShutdown(() => {
    shutdownAsked = true;
  });
  // The editor is gone: nobody will send `exit`.
  for (const event of ['end', 'close'] as const) process.stdin.on(event, () => process.exit(shutdownAsked ? 0 : 1));
  return connection;
}
