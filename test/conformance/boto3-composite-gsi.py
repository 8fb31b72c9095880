"""A boto3 (1.43+) session against a GSI with multi-attribute keys; prints one JSON object.

boto3's model accepts KeySchema lists of several HASH and RANGE entries since the feature came
out (November 2025); this checks that such a table round-trips through Python's SDK, including
a Query that pages with the compound LastEvaluatedKey and DynamoDB's message for a RANGE gap.
"""
import json

from botocore.exceptions import ClientError

from boto3_session import session

client, table_name = session()
results = {}
key_schema = [
    {"AttributeName": "org", "KeyType": "HASH"}, {"AttributeName": "team", "KeyType": "HASH"},
    {"AttributeName": "year", "KeyType": "RANGE"}, {"AttributeName": "name", "KeyType": "RANGE"},
]
client.create_table(
    TableName=table_name, BillingMode="PAY_PER_REQUEST",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[
        {"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "org", "AttributeType": "S"},
        {"AttributeName": "team", "AttributeType": "S"}, {"AttributeName": "year", "AttributeType": "N"},
        {"AttributeName": "name", "AttributeType": "S"},
    ],
    GlobalSecondaryIndexes=[{"IndexName": "people", "KeySchema": key_schema, "Projection": {"ProjectionType": "ALL"}}],
)
client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
results["keySchema"] = client.describe_table(TableName=table_name)["Table"]["GlobalSecondaryIndexes"][0]["KeySchema"]

for ident, year, name in [("a", "2020", "zoe"), ("b", "2019", "amy"), ("c", "2020", "bob")]:
    client.put_item(TableName=table_name, Item={
        "id": {"S": ident}, "org": {"S": "acme"}, "team": {"S": "core"}, "year": {"N": year}, "name": {"S": name},
    })

paginator = client.get_paginator("query")
pages = paginator.paginate(
    TableName=table_name, IndexName="people", KeyConditionExpression="org = :o AND team = :t",
    ExpressionAttributeValues={":o": {"S": "acme"}, ":t": {"S": "core"}}, PaginationConfig={"PageSize": 1},
)
results["ids"] = [item["id"]["S"] for page in pages for item in page["Items"]]

try:
    client.query(
        TableName=table_name, IndexName="people", KeyConditionExpression="org = :o AND team = :t AND #n = :n",
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":o": {"S": "acme"}, ":t": {"S": "core"}, ":n": {"S": "amy"}},
    )
    results["gap"] = None
except ClientError as error:
    results["gap"] = [error.response["Error"]["Code"], error.response["Error"]["Message"]]

print(json.dumps(results))
