"""boto3's dynamodbstreams client against the endpoint in argv[1]: reads the stream of the table
named argv[2] (already written to by the test) and prints one JSON object of results.

Spawned by boto3.test.ts: botocore has its own JSON parser, timestamp handling and error
parsing, so it checks the Streams wire format independently of the JavaScript SDK.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, table_name = sys.argv[1], sys.argv[2]
settings = dict(
    endpoint_url=endpoint, region_name="us-east-1",
    aws_access_key_id="AKIDTEST", aws_secret_access_key="secret",
    config=Config(retries={"max_attempts": 1}),
)
streams = boto3.client("dynamodbstreams", **settings)
results = {}

listed = streams.list_streams(TableName=table_name)["Streams"]
arn = listed[0]["StreamArn"]
description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
results["status"] = description["StreamStatus"]
results["viewType"] = description["StreamViewType"]
shard_id = description["Shards"][0]["ShardId"]
iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
page = streams.get_records(ShardIterator=iterator, Limit=10)
results["events"] = [record["eventName"] for record in page["Records"]]
results["newImage"] = page["Records"][0]["dynamodb"]["NewImage"]
results["createdIsDate"] = hasattr(page["Records"][0]["dynamodb"]["ApproximateCreationDateTime"], "year")
results["hasNext"] = "NextShardIterator" in page

try:
    streams.get_records(ShardIterator="garbage")
except ClientError as error:
    results["garbageIterator"] = error.response["Error"]["Code"]

print(json.dumps(results))
