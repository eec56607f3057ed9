/**
 * Lambda entry point of the audio consumer, invoked asynchronously by the start block's Lambda: reads the caller's
 * track of one contact from Kinesis Video (GetMedia from the contact's first fragment, as it arrives) and feeds it
 * to the session until the session has what every check needs, the session ends or the stream does.
 */
import { KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { KinesisVideoMediaClient } from '@aws-sdk/client-kinesis-video-media';
import { Logger } from '@aws-lambda-powertools/logger';
import { readCallMedia } from '../connect/call-media.js';
import { feedCallAudio, type SessionProgress } from '../connect/call-feeder.js';
import { ResourceConflictError } from '../voiceid/index.js';
import { sessionServiceFor, type ConnectLambdaContext } from './connect-runtime.js';

const logger = new Logger({ serviceName: 'timbre-connect-call-audio' });
let kinesisVideo: KinesisVideoClient | undefined;

/** What the start Lambda hands over. */
export interface CallAudioJob {
  readonly domainId: string;
  readonly sessionId: string;
  readonly contactId: string;
  readonly streamArn: string;
  readonly startFragmentNumber: string;
}

/** Caller audio in Connect's format: 8 kHz PCM-16. */
const CALL_SAMPLE_RATE_HZ = 8000;

/** Feeds one contact's call to its session; returns how far it got (logged, and the async invocation's result). */
export const handler = async (job: CallAudioJob, context: ConnectLambdaContext) => {
  const sessions = await sessionServiceFor(context);
  kinesisVideo ??= new KinesisVideoClient({});
  const abort = new AbortController();
  const audio = readCallMedia({
    kinesisVideo,
    mediaClientAt: (endpoint: string) => new KinesisVideoMediaClient({ endpoint }),
    streamArn: job.streamArn,
    startFragmentNumber: job.startFragmentNumber,
    contactId: job.contactId,
    signal: abort.signal,
  });
  try {
    const result = await feedCallAudio(audio, {
      async append(samples, options): Promise<SessionProgress> {
        try {
          return await sessions.appendStreamAudio(job.domainId, job.sessionId, samples, CALL_SAMPLE_RATE_HZ, options);
        } catch (error) {
          // An agent or the idle timeout ended the session: it takes no more audio, which is not a failure here.
          if (error instanceof ResourceConflictError) return { streamingStatus: 'ENDED', netSpeechSeconds: 0 };
          throw error;
        }
      },
    });
    logger.info('Call audio consumed', { sessionId: job.sessionId, ...result });
    return result;
  } finally {
    abort.abort();
  }
};
