/**
 * Vector capacity: DynamoDB meters vector writes and searches in bytes processed, reported as
 * VectorWriteRequestBytes per index (a write's ConsumedCapacity under INDEXES) and
 * VectorSearchRequestBytes (SearchVectors). An AWS-validated suite observed 1,024 bytes for a
 * 3-dimension vector and does not pin a formula; EddyDB reports the vector's 32-bit floats rounded
 * up to whole kilobytes, at least one.
 */
const meteredBlockBytes = 1024

export function vectorRequestBytes(dimensions: number): number {
  return Math.max(1, Math.ceil((dimensions * 4) / meteredBlockBytes)) * meteredBlockBytes
}
