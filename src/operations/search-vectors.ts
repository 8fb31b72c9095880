/**
 * SearchVectors: the TopK items of a table nearest a query vector under one of its vector
 * indexes, best first, each with its score. DynamoDB answers from an approximate (ANN) index;
 * EddyDB ranks every item of the table that the index holds, so its answer is the exact one an
 * approximate search aims at. That costs a read of the whole table per search: fine for the
 * development and test data EddyDB serves, documented in docs/compatibility.md.
 */
import type { OperationHandler } from '../api/context.js'
import { ValidationException } from '../errors.js'
import { applyProjection, compileExpressions, evaluateCondition } from '../expressions/index.js'
import type { SearchVectorsInput } from '../shapes/search-vectors.js'
import { topKMax } from '../shapes/search-vectors.js'
import { tableKeyNames, type TableSchema } from '../tables/schema.js'
import type { Item } from '../values/types.js'
import { vectorRequestBytes } from '../vectors/capacity.js'
import { ranksBefore, vectorScore } from '../vectors/distance.js'
import type { DistanceFunction, VectorIndexSchema } from '../vectors/index-definition.js'
import { checkSearchCondition } from '../vectors/search-condition.js'
import { float32Text, searchVectorOf, vectorHeldBy } from '../vectors/vector-values.js'
import { ownMember, setMember } from '../values/members.js'

/** Items read from storage per range read while ranking. */
const rowsPerRead = 1000

interface Hit {
  item: Item
  vector: Float32Array
  score: number
}

export const searchVectors: OperationHandler<SearchVectorsInput> = async (ctx, input) => {
  const table = ctx.catalog.require(input.TableName)
  if (input.TopK > topKMax) {
    throw new ValidationException(`Provided TopK value '${input.TopK}' is out of valid range. The value must be between 1 and ${topKMax} inclusive`)
  }
  const index = table.vectorIndexes.find((candidate) => candidate.name === input.IndexName)
  // An index being added is not there for SearchVectors while its resources are allocated, then refused while it backfills.
  if (!index || index.phase === 'allocating') throw new ValidationException(`The table does not have the specified index: ${input.IndexName}`)
  if (index.phase === 'backfilling') throw new ValidationException(`Cannot search backfilling vector index: ${input.IndexName}`)
  const query = searchVectorOf(input.SearchVector)
  if (!query) {
    throw new ValidationException('Search vector contains invalid values. All values in the search vector must be a 32-bit floating-point number attribute')
  }
  if (query.length !== index.dimensions) {
    throw new ValidationException(`Input search vector dimension ${query.length} does not match vector index dimension ${index.dimensions}`)
  }
  const { searchCondition, projection } = compileExpressions(input)
  checkSearchCondition(index, searchCondition)

  const hits: Hit[] = []
  await ctx.storage.read(async (view) => {
    let after: Buffer | undefined
    for (;;) {
      const rows = await view.rangeItems(table.tableId, after ? { start: after, startInclusive: false } : {}, rowsPerRead)
      for (const row of rows) {
        const item = JSON.parse(row.json) as Item
        const vector = vectorHeldBy(index, item)
        if (vector === undefined || (searchCondition && !evaluateCondition(searchCondition, item))) continue
        keepIfNearest(hits, { item, vector, score: vectorScore(index.distance, query, vector) }, input.TopK, index.distance)
      }
      if (rows.length < rowsPerRead) return
      after = rows.at(-1)!.key
    }
  })
  const answer: Record<string, unknown> = {}
  if (input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES') {
    // The same bare shape under TOTAL and INDEXES, with none of the classic members.
    answer.ConsumedCapacity = { VectorSearchRequestBytes: vectorRequestBytes(index.dimensions) }
  }
  answer.SearchResults = hits.map((hit) => {
    const projected = projectFromIndex(table, index, hit)
    return { Item: projection ? applyProjection(projection, projected) : withoutVector(index, projected), Score: hit.score }
  })
  return answer
}

/**
 * Adds a hit to `nearest` (best first, at most `topK`) if it ranks among them. Items come in key
 * order, and a hit goes after those that score the same, so ties keep the table's key order. The
 * list stays at most 100 long (TopK's bound): a search holds that many items, whatever the table.
 */
function keepIfNearest(nearest: Hit[], hit: Hit, topK: number, distance: DistanceFunction): void {
  let position = nearest.length
  while (position > 0 && ranksBefore(distance, hit.score, nearest[position - 1]!.score)) position--
  if (position >= topK) return
  nearest.splice(position, 0, hit)
  if (nearest.length > topK) nearest.pop()
}

/**
 * What the index holds of an item: its projection's attributes, with the vector as the index's
 * own 32-bit copy (a projected vector comes back as those floats, not as the item's numbers).
 */
function projectFromIndex(table: TableSchema, index: VectorIndexSchema, { item, vector }: Hit): Item {
  let projected: Item
  if (index.projectionType === 'ALL') {
    projected = { ...item }
  } else {
    projected = {}
    const kept = [...tableKeyNames(table), ...index.searchSchema.map((element) => element.AttributeName)]
    if (index.projectionType === 'INCLUDE') kept.push(...index.nonKeyAttributes)
    for (const name of kept) {
      const value = ownMember(item, name)
      if (value !== undefined) setMember(projected, name, value)
    }
  }
  setMember(projected, index.vectorAttribute, { L: Array.from(vector, (value) => ({ N: float32Text(value) })) })
  return projected
}

/** Without a ProjectionExpression the vector itself is left out. */
function withoutVector(index: VectorIndexSchema, item: Item): Item {
  const { [index.vectorAttribute]: _vector, ...rest } = item
  return rest
}
