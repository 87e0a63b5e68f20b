/**
 * A stand-in W&B server for tests (W&B is a SaaS): answers the GraphQL `upsertBucket` mutation and
 * the run's `file_stream`, records every request, and can be told to fail or refuse.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface Received {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A stand-in W&B server: answers upsertBucket and file_stream, records what it got. */
export class FakeWandb {
  readonly received: Received[] = [];
  /** Status codes to answer the next requests with, instead of success. */
  readonly failNext: number[] = [];
  /** GraphQL errors to answer upsertBucket with (a refusal). */
  graphqlErrors: string[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        const body = JSON.parse(text) as Record<string, unknown>;
        this.received.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
        const status = this.failNext.shift();
        if (status !== undefined) return void response.writeHead(status).end('try later');
        response.writeHead(200, { 'content-type': 'application/json' });
        if (request.url !== '/graphql') return void response.end('{}');
        if (this.graphqlErrors.length > 0)
          return void response.end(
            JSON.stringify({ errors: this.graphqlErrors.map((message) => ({ message })) }),
          );
        const variables = body.variables as Record<string, string | null>;
        response.end(
          JSON.stringify({
            data: {
              upsertBucket: {
                bucket: {
                  id: 'b1',
                  name: variables.name,
                  displayName: variables.displayName,
                  project: {
                    id: 'p1',
                    name: variables.project,
                    entity: { id: 'e1', name: variables.entity ?? 'default-entity' },
                  },
                },
                inserted: true,
              },
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** The file_stream bodies, in order. */
  streams(): Record<string, unknown>[] {
    return this.received.filter((r) => r.path.endsWith('/file_stream')).map((r) => r.body);
  }
}
