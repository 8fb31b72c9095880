#!/usr/bin/env node
/**
 * The eddydb command. `eddydb serve` (the default) runs the server until SIGINT/SIGTERM.
 */
import { ConfigError, defaultConfig, loadConfig, settings } from '../config.js'
import { startServer } from '../server.js'
import { createLogger } from '../log.js'
import { daxCommandUsage, daxServeUsage, runDaxCommand, splitDaxServeFlags, startEmbeddedDax } from './dax.js'

const usage = `Usage: eddydb [serve] [options]

Serves the Amazon DynamoDB API over HTTP.

Options:
${settings.map((s) => `  ${s.flag}${s.kind === 'boolean' ? '' : ' VALUE'}\n      ${s.help} (env ${s.env}, default ${String(defaultConfig[s.key])})`).join('\n')}
  --config FILE
      JSON file with any of the settings above, by name, and "functions" (env EDDYDB_CONFIG)
  -h, --help
      show this help
  -v, --version
      show the version

${daxServeUsage}
Other commands:
  eddydb dax --upstream URL [options]   a DAX-compatible cache in front of any DynamoDB endpoint
                                        (eddydb dax --help lists its options)
`

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'dax' && (argv.includes('-h') || argv.includes('--help'))) {
    process.stdout.write(daxCommandUsage)
    return
  }
  if (argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') {
    process.stdout.write(usage)
    return
  }
  if (argv.includes('-v') || argv.includes('--version')) {
    const { createRequire } = await import('node:module')
    process.stdout.write(createRequire(import.meta.url)('../../../package.json').version + '\n')
    return
  }
  const [command, rest] = argv[0] && !argv[0].startsWith('-') ? [argv[0], argv.slice(1)] : ['serve', argv]
  if (command === 'dax') {
    const node = await runDaxCommand(rest)
    stopOnSignals(() => node.close())
    return
  }
  if (command !== 'serve') throw new ConfigError(`unknown command ${command}`)
  const { rest: serveArgs, dax } = splitDaxServeFlags(rest)
  const config = loadConfig(serveArgs)
  const server = await startServer(config)
  const daxNode = dax
    ? await startEmbeddedDax(server, dax, { region: config.defaultRegion, log: createLogger(config.logLevel) })
    : undefined
  stopOnSignals(async () => {
    await daxNode?.close()
    await server.close()
  })
}

/** SIGINT/SIGTERM: stop accepting, finish what is in flight, close storage, exit. */
function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    close().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`error while stopping after ${signal}: ${String(error)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`eddydb: ${error instanceof ConfigError ? error.message : (error as Error).stack ?? String(error)}\n`)
  if (error instanceof ConfigError) process.stderr.write(usage)
  process.exit(1)
})
