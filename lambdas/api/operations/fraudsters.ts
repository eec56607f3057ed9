/** The fraudster operations. */
import type { FraudsterService } from '../../voiceid/index.js';
import { fraudsterShape, listShape } from '../responses.js';
import { type OperationsOf, op, paging } from './support.js';

/** DescribeFraudster, ListFraudsters, DeleteFraudster, AssociateFraudster and DisassociateFraudster, served by `fraudsters`. */
export function fraudsterOperations(
  fraudsters: FraudsterService,
): OperationsOf<'DescribeFraudster' | 'ListFraudsters' | 'DeleteFraudster' | 'AssociateFraudster' | 'DisassociateFraudster'> {
  return {
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
  };
}
