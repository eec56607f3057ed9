/** Errors of the storage adapters that are not Voice ID outcomes (those are thrown as voiceid errors). */

/** Base class of storage failures. */
export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** A stored item or object does not have the shape Timbre writes (hand-edited, or from another version). */
export class CorruptItemError extends StoreError {
  constructor(readonly itemKey: string, message: string, options?: ErrorOptions) {
    super(`Stored item ${itemKey} is corrupt: ${message}`, options);
    this.name = 'CorruptItemError';
  }
}

/** Ciphertext that decrypted under another domain's encryption context, or not at all. */
export class EnvelopeError extends StoreError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EnvelopeError';
  }
}
