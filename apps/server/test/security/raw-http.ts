/**
 * Test helper: one HTTP/1.1 request written byte for byte over a socket, so request targets reach
 * the server exactly as spelled (`app.inject` and fetch would normalise `/./`, `//`, absolute-form).
 */
import { connect } from 'node:net';

/** What to send. `target` goes on the request line unchanged. */
export interface RawRequest {
  readonly method: string;
  readonly target: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The parsed answer. Header names are lower-case. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const parse = (text: string): RawResponse => {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) };
};

/**
 * Sends `request` to 127.0.0.1:`port` with `Connection: close` and reads the whole answer; an
 * event stream (which never ends) is cut once its headers are in.
 */
export const rawRequest = (port: number, request: RawRequest): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const body = request.body ?? '';
    const headers = {
      host: `127.0.0.1:${port}`,
      connection: 'close',
      ...(body === '' ? {} : { 'content-type': 'application/json' }),
      'content-length': String(Buffer.byteLength(body)),
      ...request.headers,
    };
    const head = [
      `${request.method} ${request.target} HTTP/1.1`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ].join('\r\n');
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\n\r\n${body}`));
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(20_000, () =>
      socket.destroy(new Error(`no answer to ${request.method} ${request.target}`)),
    );
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0 && /content-type:\s*text\/event-stream/i.test(text.slice(0, end))) {
        socket.destroy();
        resolve(parse(text));
      }
    });
    socket.on('end', () => resolve(parse(text)));
    socket.on('error', reject);
  });
