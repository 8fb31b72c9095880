"""A global table through boto3: create a table, add a replica, write in both regions, read back,
delete the replica. Args: EAST_ENDPOINT WEST_ENDPOINT TABLE (the endpoints may be one server)."""
import json
import sys
import time

import boto3
from botocore.exceptions import ClientError

east_endpoint, west_endpoint, table = sys.argv[1], sys.argv[2], sys.argv[3]


def client(endpoint, region):
    return boto3.client('dynamodb', endpoint_url=endpoint, region_name=region,
                        aws_access_key_id='AKIDTEST', aws_secret_access_key='secret')


east = client(east_endpoint, 'us-east-1')
west = client(west_endpoint, 'us-west-2')


def poll(check, what, attempts=400):
    for _ in range(attempts):
        value = check()
        if value:
            return value
        time.sleep(0.025)
    raise AssertionError('not reached: ' + what)


east.create_table(TableName=table, BillingMode='PAY_PER_REQUEST',
                  AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}],
                  KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}])
east.get_waiter('table_exists').wait(TableName=table, WaiterConfig={'Delay': 1})
east.update_table(TableName=table, ReplicaUpdates=[{'Create': {'RegionName': 'us-west-2'}}])
west.get_waiter('table_exists').wait(TableName=table, WaiterConfig={'Delay': 1})
poll(lambda: east.describe_table(TableName=table)['Table'].get('Replicas', [{}])[0].get('ReplicaStatus') == 'ACTIVE',
     'replica ACTIVE')
described = east.describe_table(TableName=table)['Table']

east.put_item(TableName=table, Item={'pk': {'S': 'from-east'}, 'n': {'N': '1'}})
west.put_item(TableName=table, Item={'pk': {'S': 'from-west'}, 'n': {'N': '2'}})


def get(dynamodb, key):
    return dynamodb.get_item(TableName=table, Key={'pk': {'S': key}}, ConsistentRead=True).get('Item')


in_west = poll(lambda: get(west, 'from-east'), 'east write in us-west-2')
in_east = poll(lambda: get(east, 'from-west'), 'west write in us-east-1')

east.update_table(TableName=table, ReplicaUpdates=[{'Delete': {'RegionName': 'us-west-2'}}])
try:
    west.describe_table(TableName=table)
    replica_after_delete = 'still there'
except ClientError as error:
    replica_after_delete = error.response['Error']['Code']
after = east.describe_table(TableName=table)['Table']
east.delete_table(TableName=table)

print(json.dumps({
    'version': described.get('GlobalTableVersion'),
    'replicas': [replica['RegionName'] for replica in described.get('Replicas', [])],
    'inWest': in_west['n']['N'],
    'inEast': in_east['n']['N'],
    'replicaAfterDelete': replica_after_delete,
    'replicasAfterDelete': after.get('Replicas'),
}))
