import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The API Gateway REST (v1) proxy event, as the Lambda behind `POST /` receives it. */
export interface ApiGatewayProxyEvent {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: null;
  stageVariables: null;
  requestContext: {
    accountId: string;
    apiId: string;
    stage: string;
    requestId: string;
    requestTimeEpoch: number;
    resourceId: string;
    resourcePath: string;
    httpMethod: string;
    path: string;
    protocol: string;
    domainName: string;
    identity: { accessKey: string | null; sourceIp: string; userAgent: string | null; caller: string | null; user: string | null; userArn: string | null };
    authorizer: null;
  };
  body: string | null;
  isBase64Encoded: boolean;
}

/** What a proxy-integration Lambda returns. */
export interface ApiGatewayProxyResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, Array<string | number | boolean>>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** The Lambda context object handed to a handler invoked in-process. */
export interface LocalLambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

/** Builds a context whose remaining time counts down from `timeoutMs`. */
export function makeLambdaContext(functionName: string, region: string, accountId: string, timeoutMs: number, requestId: string = randomUUID()): LocalLambdaContext {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Turns an HTTP request into the proxy event API Gateway would send (header case kept). */
export function buildProxyEvent(req: IncomingMessage, body: Buffer, url: URL, accountId: string, accessKey: string | null, requestId: string): ApiGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const method = req.method ?? 'POST';
  const text = body.toString('utf8');
  // API Gateway base64-encodes bodies that are not valid UTF-8 text (binary media types).
  const isText = Buffer.from(text, 'utf8').equals(body);
  return {
    resource: url.pathname,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId,
      apiId: 'local',
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: url.pathname,
      httpMethod: method,
      path: url.pathname,
      protocol: `HTTP/${req.httpVersion}`,
      domainName: req.headers.host ?? '127.0.0.1',
      identity: {
        accessKey,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? null,
        caller: null,
        user: null,
        userArn: null,
      },
      authorizer: null,
    },
    body: body.length === 0 ? null : isText ? text : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
  };
}
