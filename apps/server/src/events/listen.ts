/** Wakes the hub the moment a trigger NOTIFYs, on a PostgreSQL server (PGlite cannot NOTIFY across processes). */
import pg from 'pg';

/** LISTENs on `nflab_events` with its own connection; returns the function that closes it. */
export const listenForEvents = async (
  url: string,
  onNotify: () => void,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> => {
  const client = new pg.Client({ connectionString: url });
  // A dropped connection only loses the shortcut; the hub's poll still finds every event.
  client.on('error', onError);
  client.on('notification', onNotify);
  await client.connect();
  await client.query('LISTEN nflab_events');
  return async () => {
    await client.end().catch(onError);
  };
};
