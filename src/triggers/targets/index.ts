/** Builds the invoker for a configured function target. */
import type { FunctionTarget } from '../functions-config.js'
import { CommandInvoker } from './command-target.js'
import type { Invoker } from './invoker.js'
import { ModuleInvoker } from './module-target.js'
import { WebhookInvoker } from './webhook-target.js'

/** `runtimeEnvironment`: what Lambda would set (lambda-environment.ts), under the function's own. */
export function createInvoker(target: FunctionTarget, runtimeEnvironment: Record<string, string> = {}): Invoker {
  switch (target.kind) {
    case 'module': return new ModuleInvoker(target, runtimeEnvironment)
    case 'webhook': return new WebhookInvoker(target)
    case 'command': return new CommandInvoker(target, runtimeEnvironment)
  }
}

export type { InvokeContext, InvokeResult, Invoker } from './invoker.js'
