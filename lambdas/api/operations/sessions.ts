/** The session operations (docs/sessions.md): Timbre's own, and Voice ID's EvaluateSession. */
import type { SessionService } from '../../voiceid/sessions/index.js';
import { ValidationException } from '../errors.js';
import { MAX_SESSION_AUDIO_BYTES, type RequestOf } from '../requests.js';
import { evaluationShape, sessionShape } from '../responses.js';
import { checkSessionAudioUri } from '../session-audio-uri.js';
import { type OperationsOf, op } from './support.js';

/** What the session operations are served with. */
export interface SessionOperationOptions {
  /** Buckets PutSessionAudio's S3Uri may name (env TIMBRE_SESSION_AUDIO_BUCKETS). */
  readonly sessionAudioBuckets: readonly string[];
}

type SessionOperation = 'StartSession' | 'UpdateSession' | 'PutSessionAudio' | 'EnrollBySession' | 'DescribeSession' | 'EndSession' | 'EvaluateSession';

/** The configuration members of StartSession and UpdateSession as the service takes them. */
function configuration(i: RequestOf<'UpdateSession'>) {
  return {
    ...(i.SpeakerId !== undefined && { speakerId: i.SpeakerId }),
    ...(i.AuthenticationConfiguration !== undefined && { authentication: { acceptanceThreshold: i.AuthenticationConfiguration.AcceptanceThreshold } }),
    ...(i.FraudDetectionConfiguration !== undefined && {
      fraudDetection: {
        ...(i.FraudDetectionConfiguration.RiskThreshold !== undefined && { riskThreshold: i.FraudDetectionConfiguration.RiskThreshold }),
        ...(i.FraudDetectionConfiguration.WatchlistId !== undefined && { watchlistId: i.FraudDetectionConfiguration.WatchlistId }),
      },
    }),
    ...(i.StreamingConfiguration?.AuthenticationMinimumSpeechInSeconds !== undefined && {
      minSpeechSeconds: i.StreamingConfiguration.AuthenticationMinimumSpeechInSeconds,
    }),
  };
}

/** PutSessionAudio's audio: exactly one of Audio and S3Uri, base64 of at most 4 MB. */
function audioOf(i: RequestOf<'PutSessionAudio'>, options: SessionOperationOptions) {
  const endOfStream = i.EndOfStream === true;
  const common = { ...(i.ChannelId !== undefined && { channel: i.ChannelId }), endOfStream };
  if (i.Audio !== undefined && i.S3Uri !== undefined) throw new ValidationException('Give either Audio or S3Uri, not both');
  if (i.S3Uri !== undefined) return { s3Uri: checkSessionAudioUri(i.S3Uri, options.sessionAudioBuckets), ...common };
  if (i.Audio === undefined && !endOfStream) throw new ValidationException('Give Audio or S3Uri (or EndOfStream true alone)');
  if (i.Audio !== undefined && i.Audio.length % 4 !== 0) throw new ValidationException('Audio is not valid base64');
  const bytes = Buffer.from(i.Audio ?? '', 'base64');
  if (bytes.byteLength > MAX_SESSION_AUDIO_BYTES) throw new ValidationException(`Audio must be at most ${MAX_SESSION_AUDIO_BYTES} bytes`);
  if (i.Encoding !== 'PCM_S16LE' && i.SampleRateHz !== undefined) throw new ValidationException('SampleRateHz goes with Encoding PCM_S16LE');
  const encoding = i.Encoding === 'PCM_S16LE' ? ('PCM_S16LE' as const) : ('FILE' as const);
  return { bytes: new Uint8Array(bytes), encoding, ...(i.SampleRateHz !== undefined && { sampleRateHz: i.SampleRateHz }), ...common };
}

/** StartSession … EvaluateSession, served by `sessions`. */
export function sessionOperations(sessions: SessionService, options: SessionOperationOptions): OperationsOf<SessionOperation> {
  const session = async (view: ReturnType<SessionService['describe']>) => ({ Session: sessionShape(await view) });
  return {
    StartSession: op('StartSession', async (i) => {
      if ((i.StreamArn === undefined) !== (i.StartFragmentNumber === undefined)) throw new ValidationException('StreamArn and StartFragmentNumber go together');
      return session(
        sessions.start({
          domainId: i.DomainId,
          sessionName: i.SessionName,
          ...configuration({ ...i, SessionNameOrId: i.SessionName }),
          ...(i.StreamArn !== undefined && { stream: { streamArn: i.StreamArn, startFragmentNumber: i.StartFragmentNumber! } }),
          ...(i.ClientToken !== undefined && { clientToken: i.ClientToken }),
        }),
      );
    }),
    UpdateSession: op('UpdateSession', async (i) => session(sessions.update(i.DomainId, i.SessionNameOrId, configuration(i)))),
    PutSessionAudio: op('PutSessionAudio', async (i) => session(sessions.putAudio(i.DomainId, i.SessionNameOrId, audioOf(i, options)))),
    EnrollBySession: op('EnrollBySession', async (i) => ({
      Status: await sessions.enrollBySession(i.DomainId, i.SessionNameOrId, i.ExistingEnrollmentAction as 'SKIP' | 'OVERWRITE' | undefined),
    })),
    DescribeSession: op('DescribeSession', async (i) => session(sessions.describe(i.DomainId, i.SessionNameOrId))),
    EndSession: op('EndSession', async (i) => session(sessions.end(i.DomainId, i.SessionNameOrId))),
    EvaluateSession: op('EvaluateSession', async (i) => evaluationShape(await sessions.evaluate(i.DomainId, i.SessionNameOrId))),
  };
}
