/**
 * One entry of an API's operation registry: how the operation's input is validated and the
 * handler that runs on it, declared together so that the handler's input type is the type the
 * validation proves (checked at compile time), and no second table has to be kept in step.
 */
import type { OperationHandler, RequestContext } from './context.js'
import type { OperationShape, StructureShape } from '../shapes/shape.js'
import { validateRequest } from '../validate/index.js'
import { echoTableArns, withTableArnsResolved } from '../tables/table-name-arns.js'

/** The handler bound to its validated input, ready to run in a request's context. */
export type AcceptedRequest = (ctx: RequestContext) => Promise<object>

export interface Operation {
  /** The declared input, when the pipeline validates it; absent when the handler checks its own. */
  readonly input?: StructureShape
  /**
   * Validates and normalizes a request body (SerializationException, then ValidationException,
   * as DynamoDB orders them) and returns the handler bound to the valid input.
   */
  accept(body: Record<string, unknown>): AcceptedRequest
}

/**
 * An operation the pipeline validates with `shape` before `handler` runs. The handler may accept
 * a wider type than the shape proves (a string where the shape proves an enum), never a narrower.
 * Tables named by ARN reach the handler by name (src/tables/table-name-arns.ts).
 */
export function defineOperation<Input extends HandlerInput, HandlerInput>(
  shape: OperationShape<Input>, handler: OperationHandler<HandlerInput>,
): Operation {
  return {
    input: shape.input,
    accept(body) {
      const input = validateRequest(shape, body)
      return (ctx) => {
        const resolved = withTableArnsResolved(input as Record<string, unknown>, ctx)
        if (resolved === undefined) return handler(ctx, input)
        return handler(ctx, resolved.input as Input).then((output) => echoTableArns(output, resolved.names))
      }
    },
  }
}

/**
 * An operation whose handler validates its own input (Kinesis, the DAX management API, resource
 * policies): it receives the body as a JSON object and narrows it itself.
 */
export function selfValidatingOperation(handler: OperationHandler<Record<string, unknown>>): Operation {
  return { accept: (body) => (ctx) => handler(ctx, body) }
}

/**
 * The entry for `action` in a registry, if any. Own properties only: an action such as
 * 'constructor' must not reach Object.prototype.
 */
export function operationNamed(operations: Readonly<Record<string, Operation>>, action: string): Operation | undefined {
  return Object.hasOwn(operations, action) ? operations[action] : undefined
}
