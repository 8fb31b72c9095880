/**
 * Finding the stream a request names. Every Kinesis operation takes StreamName or StreamARN
 * (newer SDKs and KCL 3 send only the ARN); an ARN of another region or account names no
 * stream here.
 */
import type { RequestContext } from '../api/context.js'
import type { ReadView } from '../storage/engine.js'
import { InvalidArgumentException, KinesisValidationException, streamNotFound } from './errors.js'
import { loadStream, type StreamState } from './stream-store.js'

export interface StreamTarget {
  StreamName?: string
  StreamARN?: string
}

/** The stream name a request names (not yet looked up). */
export function streamNameOf(ctx: RequestContext, input: StreamTarget): string {
  const fromArn = input.StreamARN === undefined ? undefined : nameInArn(ctx, input.StreamARN)
  if (input.StreamName !== undefined && fromArn !== undefined && input.StreamName !== fromArn) {
    throw new InvalidArgumentException(`StreamARN ${input.StreamARN} and StreamName ${input.StreamName} do not refer to the same stream.`)
  }
  const name = input.StreamName ?? fromArn
  if (name === undefined) throw new KinesisValidationException('Either StreamName or StreamARN should be provided.')
  return name
}

function nameInArn(ctx: RequestContext, arn: string): string {
  const [, , , region, account, resource = ''] = arn.split(':')
  const name = resource.startsWith('stream/') ? resource.slice('stream/'.length) : ''
  if (region !== ctx.region || account !== ctx.accountId || !/^[a-zA-Z0-9_.-]{1,128}$/.test(name)) {
    throw streamNotFound(name || arn, account ?? ctx.accountId)
  }
  return name
}

/** The named stream, or ResourceNotFoundException. */
export async function requireStream(ctx: RequestContext, view: ReadView, input: StreamTarget): Promise<StreamState> {
  const name = streamNameOf(ctx, input)
  const state = await loadStream(view, name)
  if (!state) throw streamNotFound(name, ctx.accountId)
  return state
}
