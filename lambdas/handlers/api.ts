/**
 * Lambda entry point of the Voice ID API: an API Gateway proxy event in, Voice ID's awsJson1_0 answer out.
 * Configuration is read once, on the first call.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  OperationNotYetAvailableException,
  SERVED_OPERATIONS,
  dispatch,
  type ApiResponse,
  type OperationTable,
} from '../api/index.js';

/** The parts of an API Gateway proxy event the handler reads. */
export interface ApiGatewayProxyEvent {
  readonly headers?: Record<string, string | undefined> | null;
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
let operations: OperationTable | undefined;

function buildOperations(): OperationTable {
  const table: Partial<Record<string, OperationTable[keyof OperationTable]>> = {};
  for (const name of SERVED_OPERATIONS) {
    table[name] = async () => {
      throw new OperationNotYetAvailableException(`${name} is being built`);
    };
  }
  return table as OperationTable;
}

function header(event: ApiGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Serves one Voice ID API call. */
export const handler = async (event: ApiGatewayProxyEvent, context: LambdaContext): Promise<ApiResponse> => {
  operations ??= buildOperations();
  const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const requestId = context.awsRequestId ?? event.requestContext?.requestId ?? crypto.randomUUID();
  return dispatch({ target: header(event, 'X-Amz-Target'), body, requestId }, operations, {
    error: (message, details) => logger.error(message, details),
  });
};
