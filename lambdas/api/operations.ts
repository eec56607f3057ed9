/**
 * The table of served operations: each validates its request against the model, calls Voice ID's
 * services and shapes the output.
 */
import type { VoiceIdService } from '../voiceid/index.js';
import type { OperationHandler, OperationTable } from './dispatch.js';
import { REQUESTS, type RequestOf } from './requests.js';
import { domainShape, fraudsterShape, listShape, speakerShape, tagsShape, watchlistShape } from './responses.js';
import { validateRequest } from './validate.js';

type Served = keyof typeof REQUESTS;

function op<K extends Served>(name: K, run: (input: RequestOf<K>) => Promise<object | undefined>): OperationHandler {
  return (body) => run(validateRequest(body, REQUESTS[name]) as RequestOf<K>);
}

const toTags = (tags: readonly { Key: string; Value: string }[] | undefined) => (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
const paging = (input: { MaxResults?: number; NextToken?: string }) => ({
  ...(input.MaxResults !== undefined && { maxResults: input.MaxResults }),
  ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
});

/**
 * Voice ID's control-plane operations served by `voiceId`.
 * @example dispatch(request, buildOperationTable(createVoiceIdService(deps)), logger)
 */
export function buildOperationTable(voiceId: VoiceIdService): OperationTable {
  const { domains, watchlists, speakers, fraudsters, tags } = voiceId;
  return {
    CreateDomain: op('CreateDomain', async (i) => ({
      Domain: domainShape(
        await domains.create({
          name: i.Name,
          ...(i.Description !== undefined && { description: i.Description }),
          kmsKeyId: i.ServerSideEncryptionConfiguration.KmsKeyId,
          tags: toTags(i.Tags),
          ...(i.ClientToken !== undefined && { clientToken: i.ClientToken }),
        }),
      ),
    })),
    DescribeDomain: op('DescribeDomain', async (i) => ({ Domain: domainShape(await domains.describe(i.DomainId)) })),
    UpdateDomain: op('UpdateDomain', async (i) => ({
      Domain: domainShape(
        await domains.update({
          domainId: i.DomainId,
          name: i.Name,
          ...(i.Description !== undefined && { description: i.Description }),
          kmsKeyId: i.ServerSideEncryptionConfiguration.KmsKeyId,
        }),
      ),
    })),
    DeleteDomain: op('DeleteDomain', async (i) => {
      await domains.delete(i.DomainId);
      return undefined;
    }),
    ListDomains: op('ListDomains', async (i) => {
      const page = await domains.list(paging(i));
      return listShape('DomainSummaries', page.items, page.nextToken, domainShape);
    }),
    CreateWatchlist: op('CreateWatchlist', async (i) => ({
      Watchlist: watchlistShape(
        await watchlists.create({
          domainId: i.DomainId,
          name: i.Name,
          ...(i.Description !== undefined && { description: i.Description }),
          ...(i.ClientToken !== undefined && { clientToken: i.ClientToken }),
        }),
      ),
    })),
    DescribeWatchlist: op('DescribeWatchlist', async (i) => ({ Watchlist: watchlistShape(await watchlists.describe(i.DomainId, i.WatchlistId)) })),
    UpdateWatchlist: op('UpdateWatchlist', async (i) => ({
      Watchlist: watchlistShape(
        await watchlists.update({
          domainId: i.DomainId,
          watchlistId: i.WatchlistId,
          ...(i.Name !== undefined && { name: i.Name }),
          ...(i.Description !== undefined && { description: i.Description }),
        }),
      ),
    })),
    DeleteWatchlist: op('DeleteWatchlist', async (i) => {
      await watchlists.delete(i.DomainId, i.WatchlistId);
      return undefined;
    }),
    ListWatchlists: op('ListWatchlists', async (i) => {
      const page = await watchlists.list(i.DomainId, paging(i));
      return listShape('WatchlistSummaries', page.items, page.nextToken, watchlistShape);
    }),
    DescribeSpeaker: op('DescribeSpeaker', async (i) => ({ Speaker: speakerShape(await speakers.describe(i.DomainId, i.SpeakerId)) })),
    ListSpeakers: op('ListSpeakers', async (i) => {
      const page = await speakers.list(i.DomainId, paging(i));
      return listShape('SpeakerSummaries', page.items, page.nextToken, speakerShape);
    }),
    DeleteSpeaker: op('DeleteSpeaker', async (i) => {
      await speakers.delete(i.DomainId, i.SpeakerId);
      return undefined;
    }),
    OptOutSpeaker: op('OptOutSpeaker', async (i) => ({ Speaker: speakerShape(await speakers.optOut(i.DomainId, i.SpeakerId)) })),
    DescribeFraudster: op('DescribeFraudster', async (i) => ({ Fraudster: fraudsterShape(await fraudsters.describe(i.DomainId, i.FraudsterId)) })),
    ListFraudsters: op('ListFraudsters', async (i) => {
      const page = await fraudsters.list(i.DomainId, i.WatchlistId, paging(i));
      return listShape('FraudsterSummaries', page.items, page.nextToken, fraudsterShape);
    }),
    DeleteFraudster: op('DeleteFraudster', async (i) => {
      await fraudsters.delete(i.DomainId, i.FraudsterId);
      return undefined;
    }),
    AssociateFraudster: op('AssociateFraudster', async (i) => ({
      Fraudster: fraudsterShape(await fraudsters.associate(i.DomainId, i.FraudsterId, i.WatchlistId)),
    })),
    DisassociateFraudster: op('DisassociateFraudster', async (i) => ({
      Fraudster: fraudsterShape(await fraudsters.disassociate(i.DomainId, i.FraudsterId, i.WatchlistId)),
    })),
    TagResource: op('TagResource', async (i) => {
      await tags.tag(i.ResourceArn, toTags(i.Tags));
      return {};
    }),
    UntagResource: op('UntagResource', async (i) => {
      await tags.untag(i.ResourceArn, i.TagKeys);
      return {};
    }),
    ListTagsForResource: op('ListTagsForResource', async (i) => ({ Tags: tagsShape(await tags.list(i.ResourceArn)) })),
  };
}
