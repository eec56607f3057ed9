import { describe, expect, it } from 'vitest';
import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  InvalidSignatureException,
  OperationNotYetAvailableException,
  ResourceNotFoundException,
  SerializationException,
  ServiceQuotaExceededException,
  UnknownOperationException,
  ValidationException,
  toWireError,
} from '../../../lambdas/api/index.js';
import { RequestValidationError } from '../../../lambdas/voiceid/index.js';

describe('wire errors', () => {
  it('are named after the Voice ID error they send, in logs as on the wire', () => {
    const errors = [
      new ValidationException('m'),
      new SerializationException('m'),
      new UnknownOperationException('m'),
      new ServiceQuotaExceededException('m'),
      new AccessDeniedException('m'),
      new ResourceNotFoundException('DOMAIN', 'm'),
      new ConflictException('CONCURRENT_CHANGES', 'm'),
      new InternalServerException('m'),
      new InvalidSignatureException('m'),
      new OperationNotYetAvailableException('m'),
    ];
    for (const error of errors) {
      expect(error.name).toBe(error.constructor.name);
      expect(error.toJSON().__type).toBe(`com.amazonaws.voiceid#${error.constructor.name}`);
    }
    expect(toWireError(new RequestValidationError('bad')).name).toBe('ValidationException');
  });
});
