/**
 * Lambda entry point of the Voice ID API: an API Gateway proxy event in, Voice ID's awsJson1_0 answer out.
 * Configuration and clients are set up once, on the first call.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  type Admission,
  buildOperationTable,
  dispatch,
  failureResponse,
  InvalidSignatureException,
  signedHeadersOf,
  Throttle,
  unsignedRequiredHeader,
  type ApiResponse,
  type OperationTable,
} from '../api/index.js';
import { DynamoDbRequestCounter } from '../store/index.js';
import { readApiConfig } from './api-config.js';
import { createBatchRuntime, readBatchConfig } from './batch-config.js';
import { loadSessionVoiceEngine } from './session-engine-loader.js';
import { createSessionRuntime } from './voiceid-runtime.js';

/** The parts of an API Gateway proxy event the handler reads. */
export interface ApiGatewayProxyEvent {
  readonly headers?: Record<string, string | undefined> | null;
  /** Carries `X-Amz-SignedHeaders` when the request was signed in the query string. */
  readonly queryStringParameters?: Record<string, string | undefined> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly requestId?: string } | null;
}

/** The parts of the Lambda context the handler reads. */
export interface LambdaContext {
  readonly awsRequestId?: string;
  readonly invokedFunctionArn?: string;
}

const logger = new Logger({ serviceName: 'timbre-api' });
const reporter = { error: (message: string, details: Record<string, unknown>) => logger.error(message, details) };
let served: { operations: OperationTable; throttle: Admission } | undefined;

function buildOperations(context: LambdaContext): { operations: OperationTable; throttle: Admission } {
  const config = readApiConfig(context.invokedFunctionArn);
  const { voiceId, sessions } = createSessionRuntime(config, () => loadSessionVoiceEngine(config));
  const table = { client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: config.tableName };
  const throttle = new Throttle(new DynamoDbRequestCounter(table), config.rateLimits, reporter);
  logger.info('Voice ID API configured', { tableName: config.tableName, region: config.region, quotas: config.quotas, rateLimits: config.rateLimits });
  const jobs = createBatchRuntime(readBatchConfig(context.invokedFunctionArn));
  return { operations: buildOperationTable(voiceId, sessions, { sessionAudioBuckets: config.sessionAudioBuckets }, jobs), throttle };
}

function header(event: ApiGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/**
 * API Gateway's IAM authorisation has checked the signature but not which headers it covers; a signature
 * that leaves out X-Amz-Target would let a signed call be replayed as another operation.
 */
function unsignedHeaderFailure(event: ApiGatewayProxyEvent): InvalidSignatureException | undefined {
  const authorization = header(event, 'Authorization');
  const querySigned = event.queryStringParameters?.['X-Amz-SignedHeaders'];
  const signedNames = authorization !== undefined ? signedHeadersOf(authorization) : querySigned?.toLowerCase().split(';');
  const message = unsignedRequiredHeader(signedNames ?? []);
  return message === undefined ? undefined : new InvalidSignatureException(message);
}

/** Serves one Voice ID API call. Never throws: every failure is a Voice ID error response. */
export const handler = async (event: ApiGatewayProxyEvent, context: LambdaContext): Promise<ApiResponse> => {
  const requestId = context.awsRequestId ?? event.requestContext?.requestId ?? crypto.randomUUID();
  const unsigned = unsignedHeaderFailure(event);
  if (unsigned !== undefined) return failureResponse(unsigned, requestId);
  try {
    served ??= buildOperations(context);
  } catch (error) {
    logger.error('Voice ID API configuration failed', { error });
    return failureResponse(error, requestId);
  }
  const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return dispatch({ target: header(event, 'X-Amz-Target'), body, requestId }, served.operations, reporter, served.throttle);
};
