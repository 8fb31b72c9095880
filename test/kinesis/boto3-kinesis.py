"""boto3's kinesis and dynamodb clients against the endpoint in argv[1]: a stream as a table's
Kinesis streaming destination, read back shard by shard, plus retention and error handling.
Prints one JSON object of results for boto3.test.ts to check.

botocore has its own JSON 1.1 parser, timestamp and blob handling and error parsing, so this
checks the Kinesis wire format independently of the JavaScript SDK.
"""
import json
import sys
import time
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, suffix = sys.argv[1], sys.argv[2]
settings = dict(
    endpoint_url=endpoint, region_name="us-east-1",
    aws_access_key_id="AKIDTEST", aws_secret_access_key="secret",
    config=Config(retries={"max_attempts": 1}),
)
kinesis = boto3.client("kinesis", **settings)
dynamodb = boto3.client("dynamodb", **settings)
stream, table = f"boto3-stream-{suffix}", f"boto3-table-{suffix}"
results = {}

kinesis.create_stream(StreamName=stream, ShardCount=2)
kinesis.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
summary = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
results["status"] = summary["StreamStatus"]
results["openShards"] = summary["OpenShardCount"]
results["createdIsDate"] = hasattr(summary["StreamCreationTimestamp"], "year")
stream_arn = summary["StreamARN"]

dynamodb.create_table(
    TableName=table, BillingMode="PAY_PER_REQUEST",
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
)
dynamodb.update_time_to_live(TableName=table, TimeToLiveSpecification={"AttributeName": "ttl", "Enabled": True})
enabled = dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=stream_arn)
results["enableStatus"] = enabled["DestinationStatus"]
destinations = dynamodb.describe_kinesis_streaming_destination(TableName=table)["KinesisDataStreamDestinations"]
results["describedStatus"] = [d["DestinationStatus"] for d in destinations]

dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}, "n": {"N": "1"}})
dynamodb.update_item(TableName=table, Key={"pk": {"S": "a"}}, UpdateExpression="SET n = :n", ExpressionAttributeValues={":n": {"N": "2"}})
dynamodb.put_item(TableName=table, Item={"pk": {"S": "b"}, "ttl": {"N": str(int(time.time()) - 60)}})
dynamodb.delete_item(TableName=table, Key={"pk": {"S": "a"}})
urllib.request.urlopen(urllib.request.Request(endpoint + "/_aws/dynamodb/expired", method="DELETE")).read()


def read_all():
    records = []
    for shard in kinesis.list_shards(StreamName=stream)["Shards"]:
        iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        page = kinesis.get_records(ShardIterator=iterator, Limit=1000)
        for record in page["Records"]:
            body = json.loads(record["Data"].decode("utf-8"))
            records.append({
                "seq": int(record["SequenceNumber"]), "pk": record["PartitionKey"], "shard": shard["ShardId"],
                "arrivalIsDate": hasattr(record["ApproximateArrivalTimestamp"], "year"), "body": body,
            })
    return records


records = []
for attempt in range(200):
    records = read_all()
    if len(records) >= 5:
        break
    time.sleep(0.05)
records.sort(key=lambda record: (record["body"]["dynamodb"]["Keys"]["pk"]["S"], record["seq"]))
results["events"] = [[r["body"]["dynamodb"]["Keys"]["pk"]["S"], r["body"]["eventName"]] for r in records]
results["partitionKeysAreHex32"] = all(len(r["pk"]) == 32 and int(r["pk"], 16) >= 0 for r in records)
results["arrivalIsDate"] = all(r["arrivalIsDate"] for r in records)
results["modify"] = {k: records[1]["body"]["dynamodb"].get(k) for k in ("OldImage", "NewImage")}
results["ttlIdentity"] = records[-1]["body"]["userIdentity"]
results["fields"] = sorted(records[0]["body"].keys())

kinesis.increase_stream_retention_period(StreamName=stream, RetentionPeriodHours=168)
kinesis.decrease_stream_retention_period(StreamName=stream, RetentionPeriodHours=48)
results["retention"] = kinesis.describe_stream(StreamName=stream)["StreamDescription"]["RetentionPeriodHours"]
try:
    kinesis.decrease_stream_retention_period(StreamName=stream, RetentionPeriodHours=12)
except ClientError as error:
    results["shortRetention"] = error.response["Error"]["Code"]

put = kinesis.put_records(StreamARN=stream_arn, Records=[{"Data": b"\x00\xffraw", "PartitionKey": "raw"}])
shard_id = put["Records"][0]["ShardId"]
iterator = kinesis.get_shard_iterator(StreamARN=stream_arn, ShardId=shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                      StartingSequenceNumber=put["Records"][0]["SequenceNumber"])["ShardIterator"]
results["rawData"] = list(kinesis.get_records(ShardIterator=iterator, StreamARN=stream_arn)["Records"][0]["Data"])
try:
    kinesis.describe_stream(StreamName="boto3-missing")
except ClientError as error:
    results["missing"] = [error.response["Error"]["Code"], error.response["Error"]["Message"]]
print(json.dumps(results))
