#!/usr/bin/env node
/**
 * The eddydb command. `eddydb serve` (the default) runs the server until SIGINT/SIGTERM;
 * `eddydb dax` runs a standalone DAX node; `eddydb tables` and `eddydb status` ask a running
 * server (src/cli/admin.ts). A mistake is answered with one line on stderr and a non-zero exit:
 * a usage error adds a hint to --help; a stack trace is shown only with --log-level debug.
 */
import { ConfigError, defaultConfig, didYouMean, loadConfig, settings, unknownEnvironmentVariables, type Setting } from '../config.js'
import { DynamoError } from '../errors.js'
import { listenError, startServer } from '../server.js'
import { createLogger, type Logger } from '../log.js'
import { StartupError } from '../startup-error.js'
import { version } from '../version.js'
// The other commands, and the embedded DAX node, are imported when used: `eddydb serve` answers
// sooner without them (src/lazy-require.ts).

const commands = ['serve', 'dax', 'tables', 'status', 'export', 'import', 'backup', 'restore', 'scan', 'help']

function optionUsage(setting: Setting): string {
  const value = setting.kind === 'boolean' ? '' : ' VALUE'
  const fallback = setting.defaultText ?? String(defaultConfig[setting.key])
  return `  ${setting.flag}${value}\n      ${setting.help} (env ${setting.env}, file key "${setting.key}", default ${fallback})`
}

/** The help text; it gathers the usage of every command, so it imports them. */
async function usage(): Promise<string> {
  const [{ adminUsage }, { transferUsage }, { backupUsage }] = await Promise.all([
    import('./admin.js'), import('./transfer.js'), import('./backups.js'),
  ])
  return `Usage: eddydb [serve] [options]

Serves the Amazon DynamoDB API over HTTP.

Options:
${settings.map(optionUsage).join('\n')}
  --config FILE
      JSON file with any of the settings above by file key, and "functions" (env EDDYDB_CONFIG)
  -h, --help
      show this help
  -v, --version
      show the version

${adminUsage}
${transferUsage}
${backupUsage}
Other commands:
  eddydb dax --upstream URL [options]   a DAX-compatible cache in front of any DynamoDB endpoint
                                        (eddydb dax --help lists its options)
`
}

/** Set once the config is read: whether a failure may show its stack trace. */
let debug = false

/** The help of one command (`eddydb status --help`, `eddydb help status`): its own, or all of it for serve. */
async function commandUsage(command: string | undefined): Promise<string> {
  if (command === 'dax') return (await import('./dax.js')).daxCommandUsage
  const { adminCommandUsage, adminOptionsUsage } = await import('./admin.js')
  if (command === 'tables' || command === 'status') return adminCommandUsage[command]
  if (command === 'export' || command === 'import') return `${(await import('./transfer.js')).transferUsage}\nOptions:\n${adminOptionsUsage}`
  if (command === 'backup' || command === 'restore' || command === 'scan') {
    return `${(await import('./backups.js')).backupUsage}\nOptions:\n${adminOptionsUsage}`
  }
  return usage()
}

async function main(argv: string[]): Promise<void> {
  const [command, rest] = argv[0] && !argv[0].startsWith('-') ? [argv[0], argv.slice(1)] : ['serve', argv]
  if (command === 'help' || argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(await commandUsage(command === 'help' ? rest[0] : command))
    return
  }
  if (argv.includes('-v') || argv.includes('--version')) {
    process.stdout.write(version + '\n')
    return
  }
  switch (command) {
    case 'serve': return serve(rest)
    case 'dax': {
      const node = await (await import('./dax.js')).runDaxCommand(rest).catch((error: unknown) => {
        const port = (error as { port?: number }).port
        throw port === undefined ? error : listenError(error, (error as { address?: string }).address ?? '127.0.0.1', port, '--port / --http-port')
      })
      stopOnSignals(() => node.close())
      return
    }
    case 'tables': return (await import('./admin.js')).runTablesCommand(rest)
    case 'status': return (await import('./admin.js')).runStatusCommand(rest)
    case 'export': return (await import('./transfer.js')).runExportCommand(rest)
    case 'import': return (await import('./transfer.js')).runImportCommand(rest)
    case 'backup': return (await import('./backups.js')).runBackupCommand(rest)
    case 'restore': return (await import('./backups.js')).runRestoreCommand(rest)
    case 'scan': return (await import('./backups.js')).runScanCommand(rest)
    default: throw new ConfigError(`unknown command ${command}${didYouMean(command, commands)}`)
  }
}

async function serve(argv: string[]): Promise<void> {
  const config = loadConfig(argv)
  debug = config.logLevel === 'debug'
  const log = createLogger(config.logLevel)
  logProcessWarnings(log)
  for (const { variable, suggestion } of unknownEnvironmentVariables(process.env)) {
    log.warn(`environment variable ${variable} is not an EddyDB setting and is ignored${suggestion}`, { variable })
  }
  const dax = config.dax ? await import('./dax.js') : undefined
  const configured = dax?.embeddedDaxFlags(config)
  // Bad TLS files stop the start before the server listens.
  const daxFlags = configured && await dax!.withTlsLoaded(configured)
  const server = await startServer(config)
  let daxNode
  try {
    daxNode = daxFlags
      ? await dax!.startEmbeddedDax(server, daxFlags, { region: config.defaultRegion, accountId: config.accountId, log })
      : undefined
  } catch (error) {
    await server.close()
    const port = (error as { port?: number }).port
    throw listenError(error, daxFlags!.host, port ?? daxFlags!.wirePort, port === daxFlags!.httpPort ? '--dax-http-port' : '--dax-port')
  }
  if (daxNode) {
    const node = daxNode
    server.metrics.addSource((await import('../metrics/dax-source.js')).daxNodeSource(node))
    server.statusSections.set('dax', () => ({ host: daxFlags!.host, wirePort: node.wirePort >= 0 ? node.wirePort : null, httpPort: node.httpPort ?? null }))
  }
  stopOnSignals(async () => {
    await daxNode?.close()
    await server.close()
  })
}

/**
 * Node's process warnings (a dependency's, such as the AWS SDK's notice about Node versions, on
 * the first export) as log lines: Node's own printing is free text on stderr, where the log is
 * JSON lines.
 */
function logProcessWarnings(log: Logger): void {
  process.removeAllListeners('warning')
  process.on('warning', (warning) => log.warn('process warning', { name: warning.name, warning: warning.message }))
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

/** One line for anything that stops the command; the stack only when debugging. */
function report(error: unknown, argv: string[]): string {
  if (error instanceof ConfigError) return `eddydb: ${error.message}\nRun '${helpCommandFor(argv)}' for the options.\n`
  if (error instanceof StartupError) return `eddydb: ${error.message}\n`
  if (error instanceof DynamoError) return `eddydb: ${error.type}: ${error.message}\n`
  const message = error instanceof Error ? error.message : String(error)
  if (debug && error instanceof Error && error.stack) return `eddydb: ${error.stack}\n`
  return `eddydb: ${message} (run with --log-level debug for the stack trace)\n`
}

/** Where a usage mistake's options are listed: the command's own help (`eddydb dax --help`), or serve's. */
function helpCommandFor(argv: string[]): string {
  const command = argv[0]
  return command !== undefined && command !== 'serve' && command !== 'help' && commands.includes(command) ? `eddydb ${command} --help` : 'eddydb --help'
}

const argv = process.argv.slice(2)
main(argv).catch((error) => {
  process.stderr.write(report(error, argv))
  process.exit(1)
})
