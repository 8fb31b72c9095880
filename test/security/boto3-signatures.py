"""boto3 against a server with credentials: prints one JSON object of outcomes per key.

Usage: boto3-signatures.py ENDPOINT   (keys as in test/security/helpers.ts)
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]


def outcome(access_key, secret_key, token=None):
    client = boto3.client(
        'dynamodb', endpoint_url=endpoint, region_name='us-east-1',
        aws_access_key_id=access_key, aws_secret_access_key=secret_key, aws_session_token=token,
        config=Config(retries={'max_attempts': 1}),
    )
    try:
        client.list_tables()
        return 'ok'
    except ClientError as error:
        return error.response['Error']['Code']


print(json.dumps({
    'right': outcome('AKIDALICE', 'alice-secret'),
    'wrongSecret': outcome('AKIDALICE', 'wrong'),
    'unknownKey': outcome('AKIDNOBODY', 'x'),
    'sessionToken': outcome('ASIATEMP', 'temp-secret', 'token-1'),
    'wrongToken': outcome('ASIATEMP', 'temp-secret', 'token-2'),
}))
