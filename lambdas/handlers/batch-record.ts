/**
 * The workflow's step for one manifest record (one Map iteration): enrols a speaker or registers a fraudster
 * through the one biometric path, once per job and record. Runs the speaker model, the countermeasure and Silero VAD
 * (inference layer).
 */
import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from '../../lib/contract/env-names.js';
import { DEFAULT_CM_CARD_FILE, loadSpoofModel } from '../antispoof/index.js';
import { createScorer } from '../scoring/index.js';
import { DEFAULT_MODEL_CARD_FILE, loadSpeakerModel } from '../voiceprint/index.js';
import type { WorkItem } from '../voiceid/jobs/index.js';
import { RecordProcessor } from '../voiceid/jobs/record-processor.js';
import { createBatchRuntime, readBatchConfig } from './batch-config.js';

let processor: Promise<RecordProcessor> | undefined;

async function createProcessor(invokedFunctionArn: string | undefined): Promise<RecordProcessor> {
  const runtime = createBatchRuntime(readBatchConfig(invokedFunctionArn));
  const [model, spoofModel] = await Promise.all([
    loadSpeakerModel(getStringFromEnv({ key: ENV.MODEL_CARD, defaultValue: DEFAULT_MODEL_CARD_FILE })),
    loadSpoofModel(getStringFromEnv({ key: ENV.CM_MODEL_CARD, defaultValue: DEFAULT_CM_CARD_FILE })),
  ]);
  const { minSpeechSeconds } = runtime.config;
  return new RecordProcessor({
    ...runtime.deps,
    model,
    scorer: createScorer(model.card.scoring),
    spoofModel,
    log: new Logger({ serviceName: 'timbre-batch-record' }),
    ...(minSpeechSeconds === undefined ? {} : { minSpeechSeconds }),
  });
}

/** Processes one record; returns whether it succeeded and its code (the outcome itself is in the table). */
export const handler = async (item: WorkItem, context: { invokedFunctionArn?: string }): Promise<{ ok: boolean; code: number }> => {
  processor ??= createProcessor(context.invokedFunctionArn);
  const outcome = await (await processor).process(item);
  return { ok: outcome.ok, code: outcome.ok ? 200 : outcome.errorCode };
};
