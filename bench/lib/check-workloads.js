// Before a workload is measured on a target, one request of it is sent and its reply checked.
// A server that rejects the operation (or answers wrongly) is shown as such in the results
// rather than measured at the speed of its error replies.
import { callDynamo } from './dynamo-http.js';
import { fillTemplate } from './workloads.js';

const CHECK_ITEM_INDEX = 1234;

/**
 * @returns {Promise<string | undefined>} why the workload is not measured, or undefined if it works
 */
export async function checkWorkload(port, workload, itemCount) {
  const body = JSON.parse(fillTemplate(workload.template, CHECK_ITEM_INDEX % itemCount, itemCount, 0));
  try {
    const reply = await callDynamo(port, workload.operation, body);
    const complaint = workload.check(reply);
    return complaint === undefined ? undefined : `wrong reply: ${complaint}`;
  } catch (error) {
    return `not supported: ${error.message.slice(0, 200)}`;
  }
}
