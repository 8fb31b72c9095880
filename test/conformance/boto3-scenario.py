"""A boto3 client session against the endpoint given as argv[1]; prints one JSON object of results.

Spawned by boto3.test.ts so that Python's SDK (its own serializer, retries and error parsing) is
checked against the server, not only the JavaScript SDK.
"""
import json
import time

from botocore.exceptions import ClientError

from boto3_session import session

client, table_name = session()
results = {}

client.create_table(
    TableName=table_name, BillingMode="PAY_PER_REQUEST",
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
)
client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
results["status"] = client.describe_table(TableName=table_name)["Table"]["TableStatus"]

for sk in range(3):
    client.put_item(TableName=table_name, Item={"pk": {"S": "p"}, "sk": {"N": str(sk)}, "n": {"N": "1.50"}})

query = client.query(
    TableName=table_name, KeyConditionExpression="pk = :p AND sk >= :one",
    ExpressionAttributeValues={":p": {"S": "p"}, ":one": {"N": "1"}}, ScanIndexForward=False,
)
results["query"] = [item["sk"]["N"] for item in query["Items"]]
results["number"] = query["Items"][0]["n"]["N"]

updated = client.update_item(
    TableName=table_name, Key={"pk": {"S": "p"}, "sk": {"N": "0"}},
    UpdateExpression="SET n = n + :d", ConditionExpression="attribute_exists(pk)",
    ExpressionAttributeValues={":d": {"N": "1"}}, ReturnValues="UPDATED_NEW",
)
results["updated"] = updated["Attributes"]

try:
    client.update_item(
        TableName=table_name, Key={"pk": {"S": "p"}, "sk": {"N": "0"}},
        UpdateExpression="SET n = :z", ConditionExpression="n = :z",
        ExpressionAttributeValues={":z": {"N": "0"}},
    )
    results["conditionFailure"] = None
except ClientError as error:
    results["conditionFailure"] = error.response["Error"]["Code"]

client.transact_write_items(TransactItems=[
    {"Put": {"TableName": table_name, "Item": {"pk": {"S": "tx"}, "sk": {"N": "1"}}}},
    {"Delete": {"TableName": table_name, "Key": {"pk": {"S": "p"}, "sk": {"N": "2"}}}},
])
try:
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": table_name, "Item": {"pk": {"S": "tx"}, "sk": {"N": "2"}}}},
        {"ConditionCheck": {"TableName": table_name, "Key": {"pk": {"S": "p"}, "sk": {"N": "2"}},
                            "ConditionExpression": "attribute_exists(pk)"}},
    ])
    results["cancelled"] = None
except ClientError as error:
    results["cancelled"] = [reason["Code"] for reason in error.response.get("CancellationReasons", [])]

scan = client.scan(TableName=table_name)
results["keys"] = sorted(f'{item["pk"]["S"]}/{item["sk"]["N"]}' for item in scan["Items"])
print(json.dumps(results))
