/**
 * A progress bar for long jobs the CLI waits on (GSI backfill now; restore, export and import
 * later). On a terminal it redraws one line; elsewhere (a pipe, a log file, a test) it prints a
 * line at each tenth of the way, so the output stays readable.
 */
const barWidth = 30

export interface ProgressBar {
  /**
   * `total` undefined: the size is not known yet, only `done` is shown. `detail` (bytes, rate,
   * ETA) is shown after the counts.
   */
  update(done: number, total: number | undefined, detail?: string): void
  finish(message: string): void
}

export function progressBar(label: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): ProgressBar {
  let lastTenth = -1
  let drawn = false
  return {
    update(done, total, detail) {
      const fraction = total === undefined || total === 0 ? undefined : Math.min(1, done / total)
      const counts = fraction === undefined
        ? `${label}: ${done} items`
        : `${label} [${'#'.repeat(Math.round(fraction * barWidth)).padEnd(barWidth, '.')}] ${Math.floor(fraction * 100)}% (${done}/${total} items)`
      const text = detail ? `${counts} ${detail}` : counts
      if (stream.isTTY) {
        stream.write(`\r${text}\u001b[K`)
        drawn = true
        return
      }
      const tenth = fraction === undefined ? lastTenth : Math.floor(fraction * 10)
      if (tenth > lastTenth) {
        stream.write(text + '\n')
        lastTenth = tenth
      }
    },
    finish(message) {
      stream.write(`${drawn ? '\r\u001b[K' : ''}${label}: ${message}\n`)
    },
  }
}
