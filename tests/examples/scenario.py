# The README's scenario in boto3: the twin of scenario.rs (tests/scenario.rs counts both and runs
# both against moto, comparing what they print).
import boto3

session = boto3.Session()

# EC2: two instances, a waiter, a filtered collection and its batch action.
ec2 = session.resource("ec2")
instances = ec2.create_instances(
    ImageId="ami-12c6146b",
    MinCount=2,
    MaxCount=2,
    InstanceType="t3.micro",
    TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "app", "Value": "demo"}]}],
)
instances[0].wait_until_running()
demo = ec2.instances.filter(Filters=[{"Name": "tag:app", "Values": ["demo"]}])
print("instances:", len(list(demo)))
demo.terminate()

# S3: a bucket, objects listed a page at a time, a file uploaded and downloaded.
s3 = session.client("s3")
s3.create_bucket(Bucket="demo-bucket")
for i in range(3):
    s3.put_object(Bucket="demo-bucket", Key=f"logs/{i}.txt", Body=b"hello")
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="demo-bucket", Prefix="logs/"):
    for obj in page.get("Contents", []):
        print("object:", obj["Key"], obj["Size"])
with open("report.txt", "w") as f:
    f.write("quarterly report")
bucket = session.resource("s3").Bucket("demo-bucket")
bucket.upload_file("report.txt", "report.txt")
bucket.download_file("report.txt", "report-copy.txt")

# DynamoDB: a table, items, a scan and a query.
dynamodb = session.client("dynamodb")
dynamodb.create_table(
    TableName="orders",
    KeySchema=[
        {"AttributeName": "customer", "KeyType": "HASH"},
        {"AttributeName": "id", "KeyType": "RANGE"},
    ],
    AttributeDefinitions=[
        {"AttributeName": "customer", "AttributeType": "S"},
        {"AttributeName": "id", "AttributeType": "N"},
    ],
    BillingMode="PAY_PER_REQUEST",
)
dynamodb.get_waiter("table_exists").wait(TableName="orders")
for i in range(3):
    item = {"customer": {"S": "alice"}, "id": {"N": str(i)}, "total": {"N": "9.99"}}
    dynamodb.put_item(TableName="orders", Item=item)
print("scanned:", dynamodb.scan(TableName="orders")["Count"])
found = dynamodb.query(
    TableName="orders",
    KeyConditionExpression="customer = :c AND id > :n",
    ExpressionAttributeValues={":c": {"S": "alice"}, ":n": {"N": "0"}},
)
for item in found["Items"]:
    print("found:", item["id"]["N"])

# SQS: a queue, a message sent, received and deleted.
sqs = session.client("sqs")
url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
sqs.send_message(QueueUrl=url, MessageBody="job 1")
for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
    print("message:", message["Body"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
