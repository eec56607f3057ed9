/**
 * Voice ID's resources as Timbre's domain logic sees them. Timestamps are epoch milliseconds
 * (numbers) inside Timbre; the API layer turns them into Voice ID's epoch seconds.
 */

/** `DomainStatus`: SUSPENDED while a deleted domain waits out its 30-day purge. */
export type DomainStatus = 'ACTIVE' | 'PENDING' | 'SUSPENDED';

/** `ServerSideEncryptionUpdateStatus`. */
export type EncryptionUpdateStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** `SpeakerStatus`. */
export type SpeakerStatus = 'ENROLLED' | 'EXPIRED' | 'OPTED_OUT' | 'PENDING';

/** A resource tag. */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** Details of the most recent KMS key change of a domain. */
export interface EncryptionUpdateDetails {
  readonly oldKmsKeyId: string;
  readonly updateStatus: EncryptionUpdateStatus;
  readonly message?: string;
  /** When the re-encryption last reported progress (not part of Voice ID's answer): an old one means it was abandoned. */
  readonly heartbeatAtMs?: number;
}

/** A Voice ID domain as stored. */
export interface DomainRecord {
  readonly domainId: string;
  readonly arn: string;
  readonly name: string;
  readonly description?: string;
  readonly status: DomainStatus;
  readonly kmsKeyId: string;
  readonly encryptionUpdate?: EncryptionUpdateDetails;
  readonly defaultWatchlistId: string;
  readonly tags: readonly Tag[];
  /**
   * How many times TagResource/UntagResource changed the tags (absent before the first change). Tag changes are
   * checked against it rather than `updatedAtMs`, so they never conflict with UpdateDomain.
   */
  readonly tagsVersion?: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** Set when the domain was deleted; the record is purged 30 days later. */
  readonly deletedAtMs?: number;
}

/** A watchlist of fraudsters. */
export interface WatchlistRecord {
  readonly domainId: string;
  readonly watchlistId: string;
  readonly name: string;
  readonly description?: string;
  readonly defaultWatchlist: boolean;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/**
 * A speaker as stored. `status` is the stored status; the reported status also depends on
 * `lastAccessedAtMs` (see `reportedSpeakerStatus`).
 */
export interface SpeakerRecord {
  readonly domainId: string;
  readonly generatedSpeakerId: string;
  readonly customerSpeakerId?: string;
  readonly status: Exclude<SpeakerStatus, 'EXPIRED'>;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly lastAccessedAtMs?: number;
}

/** A known fraudster. */
export interface FraudsterRecord {
  readonly domainId: string;
  readonly generatedFraudsterId: string;
  readonly watchlistIds: readonly string[];
  readonly createdAtMs: number;
}

/** One page of a listing: `cursor` is the store's position after the page, absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}

/** A request for one page: the store's cursor from the previous page, and the page size. */
export interface PageRequest {
  readonly cursor?: string;
  readonly limit: number;
}
