/** Builds Voice ID's services for a Lambda from its configuration, with SDK clients that honour AWS_ENDPOINT_URL_<SERVICE>. */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LambdaReencryptionLauncher, createStore } from '../store/index.js';
import { RequestValidationError, createVoiceIdService, type VoiceIdDependencies, type VoiceIdService } from '../voiceid/index.js';
import { createSessionService, type SessionAudioReader, type SessionService, type SessionVoiceEngine } from '../voiceid/sessions/index.js';
import type { ApiConfig } from './api-config.js';

/** Voice ID's services and the session service, over the same dependencies. */
export interface VoiceIdRuntime {
  readonly voiceId: VoiceIdService;
  readonly sessions: SessionService;
}

/**
 * The ports over DynamoDB, S3 (path-style, which local S3 needs) and KMS, and the settings; key changes re-encrypt
 * in the configured Lambda.
 */
export function voiceIdDependencies(config: ApiConfig, s3: S3Client = new S3Client({ forcePathStyle: true })): VoiceIdDependencies {
  const store = createStore({
    dynamodb: new DynamoDBClient({}),
    s3,
    kmsConfig: {},
    tableName: config.tableName,
    audioBucket: config.audioBucket,
    sessionIdleSeconds: config.quotas.sessionIdleSeconds,
  });
  return {
    ...store,
    quotas: config.quotas,
    arn: { region: config.region, accountId: config.accountId },
    log: new Logger({ serviceName: 'timbre-voiceid' }),
    ...(config.reencryptFunction !== undefined && { reencryption: reencryptionLauncher(config.reencryptFunction) }),
  };
}

let lambda: LambdaClient | undefined;

/** The launcher that invokes the re-encryption Lambda (one client per execution environment). */
export function reencryptionLauncher(functionName: string): LambdaReencryptionLauncher {
  lambda ??= new LambdaClient({});
  return new LambdaReencryptionLauncher(lambda, functionName);
}

/**
 * Voice ID's services over DynamoDB, S3 and KMS.
 * @example const voiceId = createVoiceIdRuntime(readApiConfig(context.invokedFunctionArn));
 */
export function createVoiceIdRuntime(config: ApiConfig): VoiceIdService {
  return createVoiceIdService(voiceIdDependencies(config));
}

/**
 * Voice ID's services and the sessions, with a voice engine `loadEngine` makes on the first audio or evaluation
 * (once per execution environment), so control-plane calls never wait for a model.
 */
export function createSessionRuntime(config: ApiConfig, loadEngine: () => Promise<SessionVoiceEngine>): VoiceIdRuntime {
  const s3 = new S3Client({ forcePathStyle: true });
  const deps = voiceIdDependencies(config, s3);
  return { voiceId: createVoiceIdService(deps), sessions: createSessionService(deps, lazyEngine(loadEngine), s3AudioReader(s3)) };
}

/** An engine that loads on first use; a failed load is retried by the next call. */
export function lazyEngine(load: () => Promise<SessionVoiceEngine>): SessionVoiceEngine {
  let loading: Promise<SessionVoiceEngine> | undefined;
  let loaded: SessionVoiceEngine | undefined;
  const engine = async (): Promise<SessionVoiceEngine> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    loaded = await loading;
    return loaded;
  };
  return {
    addAudio: async (state, audio, flush) => (await engine()).addAudio(state, audio, flush),
    voiceprint: async (state) => (await engine()).voiceprint(state),
    spoofRisk: async (state) => (await engine()).spoofRisk(state),
    modelId: async () => (await engine()).modelId(),
    // Scores are asked for only after a voiceprint was made, so the engine is loaded by then.
    score: (voiceprint, probe, probeSeconds) => {
      if (loaded === undefined) throw new Error('the voice engine is not loaded yet');
      return loaded.score(voiceprint, probe, probeSeconds);
    },
    get watchlistCalibration() {
      return loaded?.watchlistCalibration;
    },
  };
}

/** Reads PutSessionAudio's S3Uri objects (the API has checked the bucket against the allowed ones). */
function s3AudioReader(s3: S3Client): SessionAudioReader {
  return {
    async read(s3Uri) {
      const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(s3Uri) ?? [];
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await object.Body!.transformToByteArray();
      } catch (error) {
        if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'AccessDenied' || error.name === 'NotFound')) {
          throw new RequestValidationError(`The audio at ${s3Uri} cannot be read (${error.name})`, { cause: error });
        }
        throw error;
      }
    },
  };
}
