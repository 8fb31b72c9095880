/** PutItem and DeleteItem can only return the old item. */
export function writeReturnValuesProblem(returnValues: unknown): string | undefined {
  return returnValues === undefined || returnValues === 'ALL_OLD' || returnValues === 'NONE'
    ? undefined
    : 'ReturnValues can only be ALL_OLD or NONE'
}
