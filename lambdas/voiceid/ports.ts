/**
 * What Voice ID's semantics need from storage and KMS. `lambdas/store` implements these with DynamoDB,
 * S3 and KMS; nothing here knows the AWS SDK. Adapters throw the errors of `./errors.js`
 * (quota, conflict, not found) where a conditional write fails, so callers never see a storage error type.
 */
import type { SessionRecord } from './sessions/types.js';
import type { DomainRecord, FraudsterRecord, Page, PageRequest, SpeakerRecord, Tag, WatchlistRecord } from './types.js';

/** A ClientToken remembered for an idempotent create: which request used it and what it made. */
export interface IdempotencyRecord {
  /** `<Operation>#<scope>#<ClientToken>`; the scope is the account for domains, the domain for resources in it. */
  readonly key: string;
  readonly requestHash: string;
  readonly resourceId: string;
  readonly expiresAtMs: number;
}

/**
 * ClientTokens remembered for idempotent creates. A create claims its token in the same transaction as the
 * resource it makes (the `idempotency` option of the create methods), so a failed create claims nothing and
 * only one of two concurrent creates with the same token succeeds.
 */
export interface ClientTokenRepository {
  /** The record for `key`, if one is remembered and has not expired. */
  get(key: string): Promise<IdempotencyRecord | undefined>;
}

/** Domains and the account-level domain count. */
export interface DomainRepository {
  /**
   * Creates a domain with its default watchlist, counting it against `maxDomains`, and remembers the
   * ClientToken when given, all at once.
   * @throws QuotaExceededError when the account already has `maxDomains` active domains.
   * @throws ResourceConflictError(CONCURRENT_CHANGES) when the ClientToken was claimed concurrently.
   */
  createDomain(
    domain: DomainRecord,
    defaultWatchlist: WatchlistRecord,
    options: { maxDomains: number; idempotency?: IdempotencyRecord },
  ): Promise<void>;
  /** The domain, soft-deleted ones included, or undefined. */
  getDomain(domainId: string): Promise<DomainRecord | undefined>;
  /**
   * Replaces the domain's mutable attributes (name, description, key, encryption update, status); tags are
   * left alone, they change only through `replaceTags`.
   * @throws ResourceConflictError(CONCURRENT_CHANGES) when `expectedUpdatedAtMs` no longer matches.
   */
  updateDomain(domain: DomainRecord, expectedUpdatedAtMs: number): Promise<void>;
  /**
   * Records that the re-encryption to `kmsKeyId` is still running (its `heartbeatAtMs`), without moving the domain's
   * version, so it never makes an UpdateDomain conflict.
   * @returns false when the domain no longer has that key change IN_PROGRESS (it ended, another key was chosen, or
   *   the domain was deleted)
   */
  heartbeatEncryptionUpdate(domainId: string, kmsKeyId: string, atMs: number): Promise<boolean>;
  /**
   * Replaces the domain's tags and counts the change in its `tagsVersion`.
   * @throws ResourceConflictError(CONCURRENT_CHANGES) when the tags changed since the version `expectedTagsVersion`
   *   (0 for tags never changed) or the domain was deleted.
   */
  replaceTags(domainId: string, tags: readonly Tag[], expectedTagsVersion: number): Promise<void>;
  /** Active domains (soft-deleted ones are not listed), oldest first. */
  listDomains(page: PageRequest): Promise<Page<DomainRecord>>;
  /**
   * Marks the domain SUSPENDED, stops counting it, and sets its purge time.
   * Returns false when it was already deleted.
   */
  softDeleteDomain(domainId: string, deletedAtMs: number, purgeAtMs: number): Promise<boolean>;
  /** Soft-deleted domains whose purge time is at or before `nowMs`, soonest first, at most `limit`. */
  listDomainsDueForPurge(nowMs: number, limit: number): Promise<string[]>;
  /** Deletes the domain's record and everything stored under it (watchlists, speakers, fraudsters, voiceprints). */
  purgeDomain(domainId: string): Promise<void>;
}

/** Watchlists, counted per domain. */
export interface WatchlistRepository {
  /**
   * Creates a watchlist, counting it against `maxWatchlists`, and remembers the ClientToken when given, all at once.
   * @throws QuotaExceededError when the domain already has `maxWatchlists`.
   * @throws ResourceNotFoundError(DOMAIN) when the domain is gone or soft-deleted.
   * @throws ResourceConflictError(CONCURRENT_CHANGES) when the ClientToken was claimed concurrently.
   */
  createWatchlist(
    watchlist: WatchlistRecord,
    options: { maxWatchlists: number; idempotency?: IdempotencyRecord },
  ): Promise<void>;
  getWatchlist(domainId: string, watchlistId: string): Promise<WatchlistRecord | undefined>;
  updateWatchlist(watchlist: WatchlistRecord): Promise<void>;
  /**
   * @throws ResourceConflictError(CANNOT_DELETE_NON_EMPTY_WATCHLIST) when fraudsters are still in it.
   */
  deleteWatchlist(domainId: string, watchlistId: string): Promise<void>;
  listWatchlists(domainId: string, page: PageRequest): Promise<Page<WatchlistRecord>>;
}

/**
 * Speakers, findable by generated or customer ID, counted per domain. Writes take `biometricsExpireAtMs`
 * (voiceid/lifecycle's rule: when an enrolled speaker's voiceprint expires, undefined for other speakers),
 * which the store indexes so that `listSpeakersDueForExpiry` finds the speaker then.
 */
export interface SpeakerRepository {
  getSpeaker(domainId: string, generatedSpeakerId: string): Promise<SpeakerRecord | undefined>;
  findSpeakerByCustomerId(domainId: string, customerSpeakerId: string): Promise<SpeakerRecord | undefined>;
  /**
   * Creates a speaker (and its customer-ID mapping).
   * @throws QuotaExceededError when the domain already has `maxSpeakers`.
   * @throws ResourceNotFoundError(DOMAIN) when the domain is gone or soft-deleted.
   * @throws ResourceConflictError(CONCURRENT_CHANGES) when the customer ID was taken concurrently.
   */
  createSpeaker(speaker: SpeakerRecord, options: { maxSpeakers: number; biometricsExpireAtMs: number | undefined }): Promise<void>;
  /** Overwrites a speaker's status and timestamps. */
  updateSpeaker(speaker: SpeakerRecord, biometricsExpireAtMs: number | undefined): Promise<void>;
  /** Removes the speaker record and its mapping; returns false when it was already gone. */
  deleteSpeaker(speaker: SpeakerRecord): Promise<boolean>;
  listSpeakers(domainId: string, page: PageRequest): Promise<Page<SpeakerRecord>>;
  /** Speakers (of any domain) whose biometrics expired at or before `nowMs` and are still kept. */
  listSpeakersDueForExpiry(nowMs: number, limit: number): Promise<SpeakerRecord[]>;
  /** Records that the speaker's biometric data was destroyed on expiry (the speaker record itself stays). */
  markBiometricsExpired(speaker: SpeakerRecord): Promise<void>;
}

/** Fraudsters and their watchlist memberships (counted per watchlist). */
export interface FraudsterRepository {
  getFraudster(domainId: string, fraudsterId: string): Promise<FraudsterRecord | undefined>;
  /**
   * Creates a fraudster in its watchlists.
   * @throws QuotaExceededError when a watchlist already holds `maxFraudstersPerWatchlist`.
   * @throws ResourceNotFoundError(DOMAIN, WATCHLIST) when the domain is gone or soft-deleted, or a watchlist is gone.
   */
  createFraudster(fraudster: FraudsterRecord, options: { maxFraudstersPerWatchlist: number }): Promise<void>;
  /**
   * Adds the fraudster to a watchlist; returns the updated record. A no-op when it is already there.
   * @throws QuotaExceededError when the watchlist is full.
   * @throws ResourceNotFoundError(DOMAIN, WATCHLIST) when the domain is gone or soft-deleted, or the watchlist is gone.
   */
  associate(domainId: string, fraudsterId: string, watchlistId: string, options: { maxFraudstersPerWatchlist: number }): Promise<FraudsterRecord>;
  /**
   * Removes the fraudster from a watchlist; returns the updated record.
   * @throws ResourceConflictError(FRAUDSTER_MUST_BELONG_TO_AT_LEAST_ONE_WATCHLIST) for its last watchlist.
   */
  disassociate(domainId: string, fraudsterId: string, watchlistId: string): Promise<FraudsterRecord>;
  /** Removes the fraudster from every watchlist and deletes it; false when it was already gone. */
  deleteFraudster(fraudster: FraudsterRecord): Promise<boolean>;
  /** Fraudsters of the domain, or of one watchlist when `watchlistId` is given. */
  listFraudsters(domainId: string, watchlistId: string | undefined, page: PageRequest): Promise<Page<FraudsterRecord>>;
}

/** What KMS says about a key named by ID, ARN or alias. */
export interface KeyDescription {
  readonly keyArn: string;
  readonly enabled: boolean;
  readonly symmetric: boolean;
}

/** Looks keys up in KMS. */
export interface KeyDirectory {
  /** The key's description, or undefined when KMS knows no such key. */
  describeKey(keyId: string): Promise<KeyDescription | undefined>;
}

/** The domain facts envelope encryption needs: the key, and the ARN named in the encryption context. */
export interface DomainKeyRef {
  readonly domainId: string;
  readonly domainArn: string;
  readonly kmsKeyId: string;
}

/** One page of a re-encryption: how many items were re-wrapped, how many were already under the key, and where to go on. */
export interface ReencryptionPage {
  readonly rewrapped: number;
  readonly skipped: number;
  /** Absent on the last page. */
  readonly cursor?: string;
}

/**
 * A store of a domain's envelope-encrypted items that can move them to another key, a page at a time, so a worker can
 * record progress and stop between pages. Idempotent per item: an item already under the key is left as it is, so a
 * resumed or repeated run is safe.
 */
export interface DomainReencryption {
  /**
   * Re-wraps up to `limit` of the domain's items, from `cursor` on, under `keyArn` (the domain's new key as KMS names
   * it: GenerateDataKey answers with the key's ARN, which the envelope records).
   * @throws KeyAccessDeniedError when KMS refuses the old or the new key (disabled, pending deletion, no permission).
   */
  reencryptPage(domain: DomainKeyRef, keyArn: string, cursor: string | undefined, limit: number): Promise<ReencryptionPage>;
}

/** Starts a domain's re-encryption after its key changed, to run apart from the request that changed it. */
export interface ReencryptionLauncher {
  /** Starts (or restarts) the re-encryption of the domain's data under its current key; returns once it is started. */
  launch(domainId: string): Promise<void>;
}

/**
 * A speaker's or fraudster's embedding and the id of the speaker model's card that made it: embeddings of different
 * models are not comparable, so a voiceprint is only ever scored against embeddings of its own model.
 */
export interface Voiceprint {
  readonly embedding: Float32Array;
  readonly modelId: string;
}

/** Voiceprints of speakers and fraudsters, envelope-encrypted with the domain's key. */
export interface VoiceprintVault extends DomainReencryption {
  /** Stores (or replaces) an owner's voiceprint; it expires at `expiresAtMs` (DynamoDB TTL). */
  putVoiceprint(domain: DomainKeyRef, ownerId: string, voiceprint: Voiceprint, expiresAtMs: number): Promise<void>;
  /** The owner's voiceprint, or undefined when there is none or it has expired. */
  getVoiceprint(domain: DomainKeyRef, ownerId: string, nowMs: number): Promise<Voiceprint | undefined>;
  /** Destroys the owner's voiceprint. */
  deleteVoiceprint(domainId: string, ownerId: string): Promise<void>;
}

/** Speaker and fraudster audio, envelope-encrypted with the domain's key. */
export interface AudioVault extends DomainReencryption {
  putAudio(domain: DomainKeyRef, ownerId: string, name: string, audio: Uint8Array): Promise<void>;
  getAudio(domain: DomainKeyRef, ownerId: string, name: string): Promise<Uint8Array | undefined>;
  /** Names of the owner's stored audio items. */
  listAudio(domainId: string, ownerId: string): Promise<string[]>;
  /** Destroys every audio item of the owner. */
  deleteAllAudio(domainId: string, ownerId: string): Promise<void>;
  /** Destroys every audio item of the domain. */
  deleteDomainAudio(domainId: string): Promise<void>;
}

/** The secret that signs pagination tokens, shared by every instance of the API. */
export interface TokenKeySource {
  getTokenKey(): Promise<Uint8Array>;
}

/** Counts requests in windows shared by every copy of the API handler (Voice ID's per-operation rates). */
export interface RequestCounter {
  /**
   * Counts one request of `key` in the window starting at `windowStartMs`, unless `limit` were counted already.
   * @returns whether the request was counted (false: it is over the limit)
   */
  count(key: string, windowStartMs: number, limit: number): Promise<boolean>;
}

/** A session as read: the record and its sealed voice state (opaque; see SessionRepository.openVoiceState). */
export interface StoredSession {
  readonly record: SessionRecord;
  readonly sealedVoiceState?: Uint8Array;
}

/** `voiceState: false` reads the record alone (no sealed voice state), which costs far less. Default: true. */
export interface SessionReadOptions {
  readonly voiceState?: boolean;
}

/**
 * Sessions, findable by ID and by name (the newest session of a name), their active ones counted per domain. The
 * running voiceprint and pending speech are one blob the adapter envelope-encrypts with the domain's key; re-encryption
 * moves the voice state of the domain's sessions to a new key.
 */
export interface SessionRepository extends DomainReencryption {
  /**
   * Creates an active session, counting it against `maxActiveSessions`, claiming its name while it is active and
   * the ClientToken when given, all at once.
   * @throws QuotaExceededError at the quota; ResourceConflictError(ANOTHER_ACTIVE_STREAM) when a session of the
   *   name is active; ResourceNotFoundError(DOMAIN) when the domain is gone or soft-deleted.
   */
  createSession(session: SessionRecord, options: { maxActiveSessions: number; idempotency?: IdempotencyRecord }): Promise<void>;
  getSession(domainId: string, sessionId: string, options?: SessionReadOptions): Promise<StoredSession | undefined>;
  /** The newest session of the name, or undefined. */
  findSessionByName(domainId: string, sessionName: string, options?: SessionReadOptions): Promise<StoredSession | undefined>;
  /**
   * Replaces the session when it is still at `expectedVersion`. `voiceState`: bytes to seal and store, null to
   * destroy, undefined to keep. A session that reaches ENDED here gives back its quota slot and its name, and its
   * voice state is destroyed whatever `voiceState` says.
   * @throws ResourceConflictError(CONCURRENT_CHANGES) when the version moved (a concurrent update won).
   */
  updateSession(domain: DomainKeyRef, session: SessionRecord, options: { expectedVersion: number; voiceState?: Uint8Array | null }): Promise<void>;
  /** Decrypts a sealed voice state read with the session. */
  openVoiceState(domain: DomainKeyRef, sealed: Uint8Array): Promise<Uint8Array>;
  /** The domain's sessions that have not ENDED. */
  listActiveSessions(domainId: string): Promise<SessionRecord[]>;
  /** Active sessions (of any domain) whose last activity is at or before `lastActivityAtMs`, oldest first. */
  listIdleSessions(lastActivityAtMs: number, limit: number): Promise<SessionRecord[]>;
}

/** Every storage port the Voice ID services run on: what a storage adapter (lambdas/store) provides. */
export interface VoiceIdStorage {
  readonly clientTokens: ClientTokenRepository;
  readonly domains: DomainRepository;
  readonly watchlists: WatchlistRepository;
  readonly speakers: SpeakerRepository;
  readonly fraudsters: FraudsterRepository;
  readonly keys: KeyDirectory;
  readonly voiceprints: VoiceprintVault;
  readonly audio: AudioVault;
  readonly tokenKeys: TokenKeySource;
  readonly requestCounter: RequestCounter;
  readonly sessions: SessionRepository;
}
