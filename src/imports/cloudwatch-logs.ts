/**
 * The three CloudWatch Logs calls an import's error log needs (CreateLogGroup, CreateLogStream,
 * PutLogEvents), for servers given --cloudwatch-logs-endpoint: JSON 1.1 over HTTP, SigV4-signed
 * with the S3 settings' credentials (else the environment's), as the same account's services,
 * for the import's region (the log is in that region's CloudWatch Logs, not the S3 region's).
 */
import type { Config } from '../config.js'
import { signRequest, type AwsCredentials } from '../dax/upstream/sigv4.js'

type LogsSettings = Pick<Config, 'cloudWatchLogsEndpoint' | 's3AccessKeyId' | 's3SecretAccessKey'>

export class CloudWatchLogsError extends Error {
  constructor(readonly type: string, message: string) {
    super(message)
  }
}

export class CloudWatchLogsClient {
  readonly #url: URL
  readonly #region: string
  readonly #credentials: AwsCredentials

  constructor(settings: LogsSettings & { cloudWatchLogsEndpoint: string }, region: string) {
    this.#url = new URL(settings.cloudWatchLogsEndpoint)
    this.#region = region
    this.#credentials = {
      accessKeyId: settings.s3AccessKeyId ?? process.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: settings.s3SecretAccessKey ?? process.env.AWS_SECRET_ACCESS_KEY ?? '',
      ...(settings.s3AccessKeyId === undefined && process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
    }
  }

  async call(operation: string, input: object): Promise<Record<string, any>> {
    const body = JSON.stringify(input)
    const path = this.#url.pathname || '/'
    const headers = signRequest({
      method: 'POST', host: this.#url.host, path, body,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}` },
    }, { region: this.#region, service: 'logs', credentials: this.#credentials, date: new Date() })
    const reply = await fetch(new URL(path, this.#url), { method: 'POST', headers, body })
    const text = await reply.text()
    const parsed = text ? JSON.parse(text) as Record<string, any> : {}
    if (!reply.ok) {
      const type = String(parsed.__type ?? 'UnknownError').split('#').pop()!
      throw new CloudWatchLogsError(type, String(parsed.message ?? parsed.Message ?? text))
    }
    return parsed
  }

  /** Creates the group and the stream unless they exist. */
  async openStream(group: string, stream: string): Promise<void> {
    for (const [operation, input] of [['CreateLogGroup', { logGroupName: group }], ['CreateLogStream', { logGroupName: group, logStreamName: stream }]] as const) {
      try {
        await this.call(operation, input)
      } catch (error) {
        if (!(error instanceof CloudWatchLogsError && error.type === 'ResourceAlreadyExistsException')) throw error
      }
    }
  }
}

export function cloudWatchLogsClient(settings: LogsSettings, region: string): CloudWatchLogsClient | undefined {
  const endpoint = settings.cloudWatchLogsEndpoint
  return endpoint === undefined ? undefined : new CloudWatchLogsClient({ ...settings, cloudWatchLogsEndpoint: endpoint }, region)
}
