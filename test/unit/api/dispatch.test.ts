import { describe, expect, it } from 'vitest';
import {
  NOT_YET_AVAILABLE_OPERATIONS,
  SERVED_OPERATIONS,
  ThrottlingException,
  dispatch,
  type OperationHandler,
  type OperationTable,
} from '../../../lambdas/api/index.js';
import { KeyAccessDeniedError, QuotaExceededError, ResourceConflictError, ResourceNotFoundError } from '../../../lambdas/voiceid/index.js';

function table(handler: OperationHandler): OperationTable {
  return Object.fromEntries(SERVED_OPERATIONS.map((name) => [name, handler])) as unknown as OperationTable;
}

function collectingReporter() {
  const reports: { message: string; details: Record<string, unknown> }[] = [];
  return { reports, reporter: { error: (message: string, details: Record<string, unknown>) => reports.push({ message, details }) } };
}

const call = (target: string | undefined, body: string | null, handler: OperationHandler = async () => ({ ok: true })) => {
  const { reports, reporter } = collectingReporter();
  return dispatch({ target, body, requestId: 'req-1' }, table(handler), reporter).then((response) => ({ response, reports }));
};

describe('dispatch', () => {
  it('answers 200 with the JSON output and the request ID', async () => {
    const { response } = await call('VoiceID.ListDomains', '{}');
    expect(response.statusCode).toBe(200);
    expect(response.headers['Content-Type']).toBe('application/x-amz-json-1.0');
    expect(response.headers['x-amzn-RequestId']).toBe('req-1');
    expect(JSON.parse(response.body)).toEqual({ ok: true });
  });

  it('answers an empty body when the operation has no output', async () => {
    const { response } = await call('VoiceID.DeleteDomain', '{}', async () => undefined);
    expect(response).toMatchObject({ statusCode: 200, body: '' });
  });

  it('passes the parsed body to the operation, treating an empty body as {}', async () => {
    const seen: unknown[] = [];
    await call('VoiceID.ListDomains', '', async (input) => {
      seen.push(input);
      return {};
    });
    expect(seen).toEqual([{}]);
  });

  it('answers UnknownOperationException for a target Voice ID does not have', async () => {
    const { response } = await call('VoiceID.StartCall', '{}');
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-amzn-ErrorType']).toBe('UnknownOperationException');
    expect(JSON.parse(response.body).__type).toBe('com.amazonaws.voiceid#UnknownOperationException');
  });

  it('echoes at most the start of an unknown target, so a huge header does not make a huge answer', async () => {
    const { response } = await call(`VoiceID.${'A'.repeat(5000)}`, '{}');
    expect(response.headers['x-amzn-ErrorType']).toBe('UnknownOperationException');
    expect(response.body.length).toBeLessThan(300);
    expect(JSON.parse(response.body).Message).toContain('VoiceID.AAAA');
  });

  it('answers UnknownOperationException when the target has another service prefix or is missing', async () => {
    expect((await call('DynamoDB_20120810.ListTables', '{}')).response.headers['x-amzn-ErrorType']).toBe('UnknownOperationException');
    expect((await call(undefined, '{}')).response.headers['x-amzn-ErrorType']).toBe('UnknownOperationException');
  });

  it.each(NOT_YET_AVAILABLE_OPERATIONS)('answers 501 OperationNotYetAvailableException for %s', async (operation) => {
    const { response, reports } = await call(`VoiceID.${operation}`, '{}');
    expect(response.statusCode).toBe(501);
    const body = JSON.parse(response.body);
    expect(body.__type).toBe('com.amazonaws.voiceid#OperationNotYetAvailableException');
    expect(body.Message).toContain(operation);
    expect(reports).toEqual([]);
  });

  it('answers SerializationException for a body that is not JSON or not an object', async () => {
    for (const body of ['{"DomainId":', '[1,2]', '"text"', 'null']) {
      const { response } = await call('VoiceID.DescribeDomain', body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['x-amzn-ErrorType']).toBe('SerializationException');
    }
  });

  it('maps domain errors to Voice ID errors with their extra members', async () => {
    const notFound = await call('VoiceID.DescribeDomain', '{}', async () => {
      throw new ResourceNotFoundError('DOMAIN', 'Domain x does not exist');
    });
    expect(notFound.response.statusCode).toBe(404);
    expect(JSON.parse(notFound.response.body)).toEqual({
      __type: 'com.amazonaws.voiceid#ResourceNotFoundException',
      Message: 'Domain x does not exist',
      ResourceType: 'DOMAIN',
    });
    const conflict = await call('VoiceID.DeleteWatchlist', '{}', async () => {
      throw new ResourceConflictError('CANNOT_DELETE_NON_EMPTY_WATCHLIST', 'not empty');
    });
    expect(conflict.response.statusCode).toBe(409);
    expect(JSON.parse(conflict.response.body).ConflictType).toBe('CANNOT_DELETE_NON_EMPTY_WATCHLIST');
  });

  it('maps quota and key refusals to ServiceQuotaExceededException (402) and AccessDeniedException (403)', async () => {
    const quota = await call('VoiceID.CreateDomain', '{}', async () => {
      throw new QuotaExceededError('domainsPerRegion', 3, 'too many domains');
    });
    expect(quota.response.statusCode).toBe(402);
    expect(quota.response.headers['x-amzn-ErrorType']).toBe('ServiceQuotaExceededException');
    const denied = await call('VoiceID.DescribeSpeaker', '{}', async () => {
      throw new KeyAccessDeniedError('key disabled');
    });
    expect(denied.response.statusCode).toBe(403);
    expect(JSON.parse(denied.response.body)).toEqual({ __type: 'com.amazonaws.voiceid#AccessDeniedException', Message: 'key disabled' });
  });

  it('hides an unexpected error behind InternalServerException and reports it', async () => {
    // Prepare
    const secret = new Error('connect ECONNREFUSED 10.0.0.7:8000 table=secret-table');
    // Act
    const { response, reports } = await call('VoiceID.DescribeDomain', '{}', async () => {
      throw secret;
    });
    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.headers['x-amzn-ErrorType']).toBe('InternalServerException');
    expect(response.body).not.toContain('secret-table');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.details.error).toBe(secret);
    expect(reports[0]?.details.operation).toBe('DescribeDomain');
  });

  it('counts served operations against their rate before running them, and answers 429 ThrottlingException over it', async () => {
    // Prepare
    const admitted: string[] = [];
    const admission = {
      async admit(operation: string) {
        admitted.push(operation);
        if (admitted.length > 1) throw new ThrottlingException('Rate exceeded: DescribeDomain allows 1 requests per second');
      },
    };
    let ran = 0;
    const handler: OperationHandler = async () => ({ ran: ++ran });
    const { reporter } = collectingReporter();
    const send = (target: string) => dispatch({ target, body: '{', requestId: 'r' }, table(handler), reporter, admission);
    // Act
    const first = await send('VoiceID.DescribeDomain');
    const second = await send('VoiceID.DescribeDomain');
    const unknown = await send('VoiceID.NoSuchThing');
    // Assess: the first passed admission and failed on its body; the second was refused before its body was read
    expect(first.headers['x-amzn-ErrorType']).toBe('SerializationException');
    expect(second.statusCode).toBe(429);
    expect(JSON.parse(second.body)).toEqual({ __type: 'com.amazonaws.voiceid#ThrottlingException', Message: 'Rate exceeded: DescribeDomain allows 1 requests per second' });
    expect(unknown.headers['x-amzn-ErrorType']).toBe('UnknownOperationException');
    expect(admitted).toEqual(['DescribeDomain', 'DescribeDomain']);
    expect(ran).toBe(0);
  });
});
