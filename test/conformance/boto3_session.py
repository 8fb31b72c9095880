"""The boto3 client every scenario uses: the endpoint and table name come from argv[1] and argv[2]."""
import sys

import boto3
from botocore.config import Config


def session():
    """(client, table_name) for the endpoint boto3.test.ts started, without retries."""
    endpoint, table_name = sys.argv[1], sys.argv[2]
    client = boto3.client(
        "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="AKIDTEST", aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}),
    )
    return client, table_name
