/** The speaker operations. */
import type { SpeakerService } from '../../voiceid/index.js';
import { listShape, speakerShape } from '../responses.js';
import { type OperationsOf, op, paging } from './support.js';

/** DescribeSpeaker, ListSpeakers, DeleteSpeaker and OptOutSpeaker, served by `speakers`. */
export function speakerOperations(speakers: SpeakerService): OperationsOf<'DescribeSpeaker' | 'ListSpeakers' | 'DeleteSpeaker' | 'OptOutSpeaker'> {
  return {
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
  };
}
