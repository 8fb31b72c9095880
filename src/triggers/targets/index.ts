/** Builds the invoker for a configured function target. */
import type { FunctionTarget } from '../functions-config.js'
import { CommandInvoker } from './command-target.js'
import type { Invoker } from './invoker.js'
import { ModuleInvoker } from './module-target.js'
import { WebhookInvoker } from './webhook-target.js'

export function createInvoker(target: FunctionTarget): Invoker {
  switch (target.kind) {
    case 'module': return new ModuleInvoker(target)
    case 'webhook': return new WebhookInvoker(target)
    case 'command': return new CommandInvoker(target)
  }
}

export type { InvokeContext, InvokeResult, Invoker } from './invoker.js'
