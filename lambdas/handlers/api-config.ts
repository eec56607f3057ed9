/**
 * The API handler's configuration, read once from the environment at the edge and frozen.
 * Clients honour `AWS_ENDPOINT_URL_<SERVICE>`, which is how local mode points them at local services.
 */
import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { ENV } from '../../lib/contract/env-names.js';
import { resolveRateLimits, type RateLimits } from '../api/index.js';
import { parseSessionAudioBuckets } from '../api/session-audio-uri.js';
import { resolveQuotas, type Quotas } from '../voiceid/index.js';
import { DEFAULT_CM_CARD_FILE } from '../antispoof/default-model.js';
import { DEFAULT_MODEL_CARD_FILE } from '../voiceprint/default-model.js';

/** The account Timbre's ARNs name when the Lambda context does not say (local runs). */
export const DEFAULT_ACCOUNT_ID = '000000000000';

/** Everything the API handler needs from its environment. */
export interface ApiConfig {
  readonly tableName: string;
  readonly audioBucket: string;
  readonly region: string;
  readonly accountId: string;
  readonly quotas: Quotas;
  /** Requests per second per operation (TIMBRE_QUOTAS' `requestsPerSecond`). */
  readonly rateLimits: RateLimits;
  /** The speaker model card sessions load (on their first audio or evaluation). */
  readonly modelCardPath: string;
  /** The voice-spoofing countermeasure's card sessions load with the speaker model. */
  readonly cmCardPath: string;
  /** Silero VAD's ONNX file, where it is not the installed package's (the inference layer). */
  readonly vadModelPath?: string;
  /** Buckets PutSessionAudio's S3Uri may name. */
  readonly sessionAudioBuckets: readonly string[];
  /** The Lambda a key change's re-encryption runs in; unset, it runs in this process (tests that build no stack). */
  readonly reencryptFunction?: string;
}

/**
 * Reads the configuration. The account comes from the invoked function's ARN (the deploying account
 * in AWS; the local server's fixed account locally), else `DEFAULT_ACCOUNT_ID`.
 * @throws Error naming the variable when a required one is missing or TIMBRE_QUOTAS is malformed.
 */
export function readApiConfig(invokedFunctionArn: string | undefined): ApiConfig {
  return Object.freeze({
    tableName: getStringFromEnv({ key: ENV.TABLE_NAME }),
    audioBucket: getStringFromEnv({ key: ENV.AUDIO_BUCKET }),
    region: getStringFromEnv({ key: 'AWS_REGION', defaultValue: 'us-east-1' }),
    accountId: /^arn:[^:]+:lambda:[^:]*:(\d{12}):/.exec(invokedFunctionArn ?? '')?.[1] ?? DEFAULT_ACCOUNT_ID,
    quotas: resolveQuotas(getStringFromEnv({ key: ENV.QUOTAS, defaultValue: '' })),
    rateLimits: resolveRateLimits(getStringFromEnv({ key: ENV.QUOTAS, defaultValue: '' })),
    modelCardPath: getStringFromEnv({ key: ENV.MODEL_CARD, defaultValue: DEFAULT_MODEL_CARD_FILE }),
    cmCardPath: getStringFromEnv({ key: ENV.CM_MODEL_CARD, defaultValue: DEFAULT_CM_CARD_FILE }),
    ...optional('vadModelPath', getStringFromEnv({ key: ENV.SILERO_VAD_MODEL, defaultValue: '' })),
    sessionAudioBuckets: parseSessionAudioBuckets(getStringFromEnv({ key: ENV.SESSION_AUDIO_BUCKETS, defaultValue: '' })),
    ...optional('reencryptFunction', getStringFromEnv({ key: ENV.REENCRYPT_FUNCTION, defaultValue: '' })),
  });
}

function optional<K extends string>(key: K, value: string): { [P in K]?: string } {
  return (value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}
