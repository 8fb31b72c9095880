/** Operations that take no input members: DescribeLimits and DescribeEndpoints. */
import { operation, structure } from './shape.js'

export const describeLimitsShape = operation<object>({ input: structure('DescribeLimitsInput', {}) })
export const describeEndpointsShape = operation<object>({ input: structure('DescribeEndpointsRequest', {}) })
