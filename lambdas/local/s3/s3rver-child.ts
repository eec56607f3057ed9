/**
 * Child-process entry that runs s3rver. It lives in its own process because s3rver's
 * continuation tokens use DES, which Node 20 (OpenSSL 3) only allows with
 * --openssl-legacy-provider, a flag that cannot be switched on in an already running process
 * such as the test runner. Object events go to the parent over IPC.
 */
import S3rver from 's3rver';

interface ChildConfig {
  port: number;
  directory: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const server = new S3rver({
  address: '127.0.0.1',
  port: config.port,
  directory: config.directory,
  silent: true,
  vhostBuckets: false,
});
server.on('event', (event: unknown) => process.send?.({ type: 'event', event }));
const address = (await server.run()) as { port: number };
process.send?.({ type: 'ready', port: address.port });
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
