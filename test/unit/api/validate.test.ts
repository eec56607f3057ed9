import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUESTS, SerializationException, ValidationException, validateRequest } from '../../../lambdas/api/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/voiceid');

function fixture(name: string): { operation: keyof typeof REQUESTS; body: Record<string, unknown> } {
  const operation = name.split('.')[0] as keyof typeof REQUESTS;
  return { operation, body: JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) };
}

function validationMessage(name: string): string {
  const { operation, body } = fixture(name);
  try {
    validateRequest(body, REQUESTS[operation]);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationException);
    return (error as Error).message;
  }
  throw new Error(`${name} passed validation`);
}

describe('validateRequest', () => {
  it.each([
    'CreateDomain.valid',
    'ListSpeakers.valid',
    'DescribeSpeaker.customer-id',
    'DescribeSpeaker.generated-id',
    'UntagResource.valid',
    'UpdateWatchlist.description-only',
  ])('accepts the valid request %s unchanged', (name) => {
    // Prepare
    const { operation, body } = fixture(name);
    const original = structuredClone(body);
    // Act
    const input = validateRequest(body, REQUESTS[operation]);
    // Assess
    expect(input).toEqual(original);
  });

  it('names the member, value and pattern when a pattern fails', () => {
    expect(validationMessage('DescribeDomain.short-id')).toBe(
      "2 validation errors detected: Value 'short' at 'domainId' failed to satisfy constraint: Member must have length greater than or equal to 22; " +
        "Value 'short' at 'domainId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9]{22}$",
    );
  });

  it('leaves sensitive values out of the message', () => {
    const message = validationMessage('CreateDomain.bad-name');
    expect(message).toContain("Value at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern");
    expect(message).not.toContain('-starts-with-dash');
  });

  it('reports a missing required structure', () => {
    expect(validationMessage('CreateDomain.missing-encryption')).toBe(
      "1 validation error detected: Value null at 'serverSideEncryptionConfiguration' failed to satisfy constraint: Member must not be null",
    );
  });

  it('lists every broken constraint, nested members included', () => {
    const message = validationMessage('CreateDomain.three-errors');
    expect(message).toMatch(/^3 validation errors detected: /);
    expect(message).toContain("at 'description'");
    expect(message).toContain("Value '' at 'serverSideEncryptionConfiguration.kmsKeyId' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect(message).toContain("Value 'not a token!' at 'clientToken'");
  });

  it('enforces the 1..10 page size of ListDomains', () => {
    expect(validationMessage('ListDomains.max-results-too-big')).toContain(
      "Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
  });

  it('refuses speaker IDs that are neither customer nor generated IDs', () => {
    expect(validationMessage('DescribeSpeaker.bad-pattern')).toContain("at 'speakerId'");
  });

  it('refuses fraudster IDs without the id# prefix', () => {
    expect(validationMessage('DescribeFraudster.missing-prefix')).toContain("at 'fraudsterId'");
  });

  it('accepts only domain ARNs for tagging', () => {
    expect(validationMessage('TagResource.not-a-domain-arn')).toContain("at 'resourceArn'");
  });

  it('names list items by position', () => {
    // Prepare
    const body = { ResourceArn: 'arn:aws:voiceid:us-east-1:111122223333:domain/Ab12Cd34Ef56Gh78Ij90Kl', Tags: [{ Key: 'ok', Value: 'v' }, { Key: '', Value: 'v' }] };
    // Act
    const act = () => validateRequest(body, REQUESTS.TagResource);
    // Assess
    expect(act).toThrow("at 'tags.2.member.key'");
  });

  it('refuses more than 200 tags', () => {
    const tags = Array.from({ length: 201 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(() => validateRequest({ ResourceArn: 'arn:aws:voiceid:us-east-1:111122223333:domain/Ab12Cd34Ef56Gh78Ij90Kl', Tags: tags }, REQUESTS.TagResource)).toThrow(
      'Member must have length less than or equal to 200',
    );
  });

  it('answers SerializationException when a member has the wrong JSON type', () => {
    const { operation, body } = fixture('CreateDomain.name-not-string');
    expect(() => validateRequest(body, REQUESTS[operation])).toThrow(SerializationException);
  });

  it('treats JSON null as an absent member', () => {
    // Prepare
    const body: Record<string, unknown> = { DomainId: 'Ab12Cd34Ef56Gh78Ij90Kl', NextToken: null };
    // Act
    const input = validateRequest(body, REQUESTS.ListSpeakers);
    // Assess
    expect('NextToken' in input).toBe(false);
  });

  it('accepts Unicode letters in descriptions and refuses other symbols', () => {
    expect(() =>
      validateRequest({ Name: 'd', Description: 'Überprüfung: Kundenstimme 2026', ServerSideEncryptionConfiguration: { KmsKeyId: 'k' } }, REQUESTS.CreateDomain),
    ).not.toThrow();
    expect(() =>
      validateRequest({ Name: 'd', Description: 'semi;colon', ServerSideEncryptionConfiguration: { KmsKeyId: 'k' } }, REQUESTS.CreateDomain),
    ).toThrow(ValidationException);
  });

  it('refuses a page size that is not an integer', () => {
    expect(() => validateRequest({ DomainId: 'Ab12Cd34Ef56Gh78Ij90Kl', MaxResults: 2.5 }, REQUESTS.ListSpeakers)).toThrow(SerializationException);
  });
});

describe('validateRequest on oversized input', () => {
  const domain = { Name: 'd', ServerSideEncryptionConfiguration: { KmsKeyId: 'k' } };

  function rejection(body: unknown, operation: keyof typeof REQUESTS): Error {
    try {
      validateRequest(body, REQUESTS[operation]);
    } catch (error) {
      return error as Error;
    }
    throw new Error('passed validation');
  }

  it('answers a list far over its maximum with one short violation, not one per member', () => {
    // Prepare
    const tags = Array.from({ length: 1_000_000 }, () => ({}));
    // Act
    const error = rejection({ ...domain, Tags: tags }, 'CreateDomain');
    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message.length).toBeLessThan(2048);
    expect(error.message).toBe(
      "1 validation error detected: Value with 1000000 members at 'tags' failed to satisfy constraint: Member must have length less than or equal to 200",
    );
  });

  it('reports the first 10 violations and counts the rest', () => {
    // Prepare
    const tags = Array.from({ length: 200 }, () => ({ Key: '', Value: 'v' }));
    // Act
    const error = rejection({ ...domain, Tags: tags }, 'CreateDomain');
    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toMatch(/^200 validation errors detected: /);
    expect(error.message).toContain("at 'tags.5.member.key'");
    expect(error.message).not.toContain("at 'tags.11.member.key'");
    expect(error.message).toMatch(/; and 190 more$/);
  });

  it('shortens long values it echoes', () => {
    // Prepare
    const token = 'x'.repeat(100_000);
    // Act
    const error = rejection({ DomainId: 'Ab12Cd34Ef56Gh78Ij90Kl', NextToken: `${token}!` }, 'ListSpeakers');
    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain("at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 8192");
    expect(error.message.length).toBeLessThan(2048);
  });
});
