/** The domain operations. */
import type { DomainService } from '../../voiceid/index.js';
import { domainShape, listShape } from '../responses.js';
import { type OperationsOf, op, paging, toTags } from './support.js';

/** CreateDomain, DescribeDomain, UpdateDomain, DeleteDomain and ListDomains, served by `domains`. */
export function domainOperations(domains: DomainService): OperationsOf<'CreateDomain' | 'DescribeDomain' | 'UpdateDomain' | 'DeleteDomain' | 'ListDomains'> {
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
  };
}
