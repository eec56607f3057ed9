/** The tagging operations. */
import type { TagService } from '../../voiceid/index.js';
import { tagsShape } from '../responses.js';
import { type OperationsOf, op, toTags } from './support.js';

/** TagResource, UntagResource and ListTagsForResource, served by `tags`. */
export function tagOperations(tags: TagService): OperationsOf<'TagResource' | 'UntagResource' | 'ListTagsForResource'> {
  return {
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
