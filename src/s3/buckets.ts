/**
 * Opening the bucket an export or import names, as the server's settings say: `file:///dir` as
 * the bucket name is that directory; with --s3-endpoint file:///dir every bucket is a
 * subdirectory of it; otherwise the bucket is on S3 (the configured endpoint, else
 * AWS_ENDPOINT_URL_S3, else AWS itself).
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Config } from '../config.js'
import { DirectoryBucket } from './directory-bucket.js'
import type { Bucket } from './object-store.js'
import { S3Bucket } from './s3-bucket.js'
import { lazyRequire } from '../lazy-require.js'

const s3 = lazyRequire<typeof import('@aws-sdk/client-s3')>('@aws-sdk/client-s3')

export const fileScheme = 'file://'

/** One S3 client per distinct setting, shared by every export and import of the process. */
const clients = new Map<string, S3Client>()

type S3Settings = Pick<Config, 's3Endpoint' | 's3Region' | 's3AccessKeyId' | 's3SecretAccessKey' | 's3ForcePathStyle'>

/**
 * The endpoint: the setting, else AWS_ENDPOINT_URL_S3 (the AWS SDKs' variable for it), read here
 * so that path style and checksums follow it as they follow the setting.
 */
function endpointOf(settings: S3Settings): string | undefined {
  return settings.s3Endpoint ?? (process.env.AWS_ENDPOINT_URL_S3 || undefined)
}

export function s3ClientConfig(settings: S3Settings): S3ClientConfig {
  const config: S3ClientConfig = {}
  const endpoint = endpointOf(settings)
  if (endpoint) {
    config.endpoint = endpoint
    // S3-compatible servers mishandle the SDK's aws-chunked trailing checksums (spec §9.2).
    config.requestChecksumCalculation = 'WHEN_REQUIRED'
    config.responseChecksumValidation = 'WHEN_REQUIRED'
  }
  config.forcePathStyle = settings.s3ForcePathStyle ?? endpoint !== undefined
  const region = settings.s3Region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION
  config.region = region ?? 'us-east-1'
  if (settings.s3AccessKeyId && settings.s3SecretAccessKey) {
    config.credentials = { accessKeyId: settings.s3AccessKeyId, secretAccessKey: settings.s3SecretAccessKey }
  }
  return config
}

function clientFor(settings: S3Settings): S3Client {
  const id = JSON.stringify([endpointOf(settings), settings.s3Region, settings.s3AccessKeyId, settings.s3SecretAccessKey, settings.s3ForcePathStyle])
  let client = clients.get(id)
  if (!client) {
    client = new (s3().S3Client)(s3ClientConfig(settings))
    clients.set(id, client)
  }
  return client
}

/** Whether a bucket name is EddyDB's local-directory extension rather than an S3 bucket. */
export function isDirectoryBucketName(name: string): boolean {
  return name.startsWith(fileScheme)
}

export function openBucket(settings: S3Settings, name: string, owner?: string): Bucket {
  if (isDirectoryBucketName(name)) return new DirectoryBucket(fileURLToPath(name))
  const endpoint = endpointOf(settings)
  if (endpoint?.startsWith(fileScheme)) return new DirectoryBucket(join(fileURLToPath(endpoint), name))
  return new S3Bucket(clientFor(settings), name, owner)
}
