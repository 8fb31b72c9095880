/**
 * The media type of Kinesis's CBOR protocol, apart from its codec (cbor.ts) so that the HTTP
 * server can recognize it without loading the codec and the cborg package before a CBOR
 * request arrives (src/lazy-require.ts).
 */
export const cborContentType = 'application/x-amz-cbor-1.1'
