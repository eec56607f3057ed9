import { describe, expect, it } from 'vitest';
import { ContactFlowEventError, flowAttributes, flowErrorAttributes, fromFlowId, readContactFlowEvent } from '../../../lambdas/connect/contact-flow.js';

const DOMAIN = 'Dom0000000000000000001';
const STREAM = 'arn:aws:kinesisvideo:us-east-1:111111111111:stream/connect-contact-4a57/1542430000000';

function event(contact: Record<string, unknown> = {}, parameters: Record<string, unknown> = { domainId: DOMAIN }): unknown {
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Channel: 'VOICE',
        ContactId: 'c2-transfer',
        InitialContactId: '4a573372-1f28-4e26-b97b-000000000001',
        CustomerId: 'customer-7',
        MediaStreams: { Customer: { Audio: { StreamARN: STREAM, StartFragmentNumber: '91343852333181432392682062607743920146264440658', StartTimestamp: '1571360125131' } } },
        ...contact,
      },
      Parameters: parameters,
    },
  };
}

describe('readContactFlowEvent', () => {
  it('names the session by InitialContactId and takes the speaker from $.CustomerId', () => {
    expect(readContactFlowEvent(event())).toEqual({
      sessionName: '4a573372-1f28-4e26-b97b-000000000001',
      contactId: 'c2-transfer',
      domainId: DOMAIN,
      speakerId: 'customer-7',
      stream: { streamArn: STREAM, startFragmentNumber: '91343852333181432392682062607743920146264440658' },
    });
  });

  it('prefers the speakerId parameter, in either spelling of a generated ID, and reads the thresholds', () => {
    const request = readContactFlowEvent(event({}, { domainId: DOMAIN, speakerId: 'id_Spk0000000000000000001', acceptanceThreshold: '95', riskThreshold: '40', minSpeechSeconds: '5', watchlistId: 'Wat0000000000000000001' }));
    expect(request).toMatchObject({ speakerId: 'id#Spk0000000000000000001', acceptanceThreshold: 95, riskThreshold: 40, minSpeechSeconds: 5, watchlistId: 'Wat0000000000000000001' });
  });

  it('has no speaker and no stream when the flow set neither', () => {
    const request = readContactFlowEvent(event({ CustomerId: undefined, MediaStreams: {} }));
    expect(request.speakerId).toBeUndefined();
    expect(request.stream).toBeUndefined();
  });

  it.each([
    ['a chat contact', event({ Channel: 'CHAT' }), /VOICE contact/],
    ['no domain', event({}, {}), /domainId/],
    ['a threshold out of range', event({}, { domainId: DOMAIN, acceptanceThreshold: '101' }), /acceptanceThreshold .* 0 to 100/],
    ['a fractional speech length', event({}, { domainId: DOMAIN, minSpeechSeconds: '7.5' }), /minSpeechSeconds/],
    ['a speaker with a slash', event({ CustomerId: '../etc' }), /speaker ID/],
    ['a stream that is not Kinesis Video', event({ MediaStreams: { Customer: { Audio: { StreamARN: 'arn:aws:s3:::bucket', StartFragmentNumber: '1' } } } }), /StreamARN/],
    ['no contact data', { Details: {} }, /ContactData/],
    ['not an object', 'hello', /ContactData/],
  ])('refuses %s', (_name, bad, message) => {
    expect(() => readContactFlowEvent(bad)).toThrow(ContactFlowEventError);
    expect(() => readContactFlowEvent(bad)).toThrow(message);
  });
});

describe('flowAttributes', () => {
  it('flattens an accepted, low-risk call with STRING_MAP-safe values', () => {
    const attributes = flowAttributes(
      {
        SessionId: 'id#Ses0000000000000000001',
        StreamingStatus: 'ONGOING',
        AuthenticationResult: { Decision: 'ACCEPT', Score: 97, GeneratedSpeakerId: 'id#Spk0000000000000000001' },
        FraudDetectionResult: { Decision: 'LOW_RISK', RiskDetails: { KnownFraudsterRisk: { RiskScore: 4 }, VoiceSpoofingRisk: { RiskScore: 1 } } },
      },
      { enrollmentStatus: 'ENROLLED' },
    );
    expect(attributes).toEqual({
      sessionId: 'id_Ses0000000000000000001',
      streamingStatus: 'ONGOING',
      authenticationDecision: 'ACCEPT',
      authenticationResult: 'Authenticated',
      authenticationScore: '97',
      fraudDecision: 'LOW_RISK',
      fraudResult: 'Low_Risk',
      fraudRiskScore: '4',
      spoofingRiskScore: '1',
      enrollmentStatus: 'ENROLLED',
      generatedSpeakerId: 'id_Spk0000000000000000001',
    });
    for (const value of Object.values(attributes)) expect(value).toMatch(/^[a-zA-Z0-9_-]+$/);
  });

  it('names a known fraudster and every reason of a high-risk call', () => {
    const attributes = flowAttributes({
      FraudDetectionResult: { Decision: 'HIGH_RISK', Reasons: ['KNOWN_FRAUDSTER', 'VOICE_SPOOFING'], RiskDetails: { KnownFraudsterRisk: { RiskScore: 88, GeneratedFraudsterId: 'id#Fra0000000000000000001' }, VoiceSpoofingRisk: { RiskScore: 70 } } },
    });
    expect(attributes).toMatchObject({ fraudResult: 'High_Risk', fraudReasons: 'KNOWN_FRAUDSTER-VOICE_SPOOFING', knownFraudsterId: 'id_Fra0000000000000000001' });
  });

  it.each([
    ['NOT_ENOUGH_SPEECH', 'Inconclusive'],
    ['REJECT', 'Not_Authenticated'],
    ['SPEAKER_NOT_ENROLLED', 'Not_Enrolled'],
    ['SPEAKER_OPTED_OUT', 'Opted_Out'],
    ['SPEAKER_EXPIRED', 'Expired'],
    ['SPEAKER_ID_NOT_PROVIDED', 'No_Speaker_Id'],
  ] as const)('maps %s to %s', (decision, result) => {
    expect(flowAttributes({ AuthenticationResult: { Decision: decision } })).toMatchObject({ authenticationDecision: decision, authenticationResult: result });
  });

  it('answers NOT_ENABLED for a feature the session does not have, and leaves out keys with no value', () => {
    const attributes = flowAttributes({ StreamingStatus: 'PENDING_CONFIGURATION' });
    expect(attributes).toEqual({ streamingStatus: 'PENDING_CONFIGURATION', authenticationDecision: 'NOT_ENABLED', authenticationResult: 'Not_Enabled', fraudDecision: 'NOT_ENABLED', fraudResult: 'Not_Enabled' });
  });

  it('reports an error with its type for the flow to branch on', () => {
    expect(flowErrorAttributes('ResourceNotFoundException', 'id#Ses0000000000000000001')).toEqual({ sessionId: 'id_Ses0000000000000000001', authenticationResult: 'Error', fraudResult: 'Error', errorType: 'ResourceNotFoundException' });
  });

  it('turns a flow ID back into Voice ID spelling', () => {
    expect(fromFlowId('id_Spk0000000000000000001')).toBe('id#Spk0000000000000000001');
    expect(fromFlowId('customer-7')).toBe('customer-7');
  });
});
