/**
 * A local Kinesis Video endpoint in the test's own process (the suite's global one lives in the setup process,
 * where a test cannot register streams), with the official clients pointed at it.
 */
import { KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { KinesisVideoMediaClient } from '@aws-sdk/client-kinesis-video-media';
import { startKinesisVideoServer, type KinesisVideoServerOptions, type LocalKinesisVideo } from '../../../lambdas/local/kinesisvideo/server.js';
import { KvsStreamRegistry } from '../../../lambdas/local/kinesisvideo/stream-registry.js';
import { LOCAL_ACCOUNT_ID } from '../../../lambdas/local/local-services.js';
import { S3RVER_CREDENTIALS } from '../../../lambdas/local/s3/s3rver-process.js';

export const KVS_REGION = 'us-east-1';

/** The running endpoint, its clients, and `mediaClientAt` as the reader takes it. */
export interface TestKinesisVideo {
  server: LocalKinesisVideo;
  control: KinesisVideoClient;
  mediaClientAt: (endpoint: string) => KinesisVideoMediaClient;
  stop(): Promise<void>;
}

export async function startTestKinesisVideo(options: Partial<KinesisVideoServerOptions> = {}): Promise<TestKinesisVideo> {
  const server = await startKinesisVideoServer(new KvsStreamRegistry(KVS_REGION, LOCAL_ACCOUNT_ID), {
    credentials: S3RVER_CREDENTIALS,
    region: KVS_REGION,
    onError: () => undefined,
    ...options,
  });
  const config = { region: KVS_REGION, credentials: S3RVER_CREDENTIALS, maxAttempts: 1 };
  const control = new KinesisVideoClient({ ...config, endpoint: server.endpoint });
  const media: KinesisVideoMediaClient[] = [];
  const mediaClientAt = (endpoint: string): KinesisVideoMediaClient => {
    const client = new KinesisVideoMediaClient({ ...config, endpoint });
    media.push(client);
    return client;
  };
  return {
    server,
    control,
    mediaClientAt,
    stop: async () => {
      control.destroy();
      for (const client of media) client.destroy();
      await server.stop();
    },
  };
}

/** Polls `condition` (a server-side effect of something the test did) for up to 5 s. */
export async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
}
