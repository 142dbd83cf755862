#!/bin/bash
# LocalStack ready.d hook: creates every OMS queue with its dead-letter queue.
# Attributes match what the services' ensureQueue() sends (DLQ retention 14 days; main queue
# VisibilityTimeout 30 and RedrivePolicy maxReceiveCount "5"), because SQS rejects a CreateQueue
# for an existing name when any given attribute differs. Keep them in step with packages/platform/src/sqs/client.ts.
set -euo pipefail

for name in orders orders-priority order-status; do
  dlq_url=$(awslocal sqs create-queue --queue-name "${name}-dlq" \
    --attributes MessageRetentionPeriod=1209600 --query QueueUrl --output text)
  dlq_arn=$(awslocal sqs get-queue-attributes --queue-url "$dlq_url" \
    --attribute-names QueueArn --query Attributes.QueueArn --output text)
  # JSON form of --attributes, so the policy string reaches SQS byte for byte as ensureQueue sends it.
  attributes="{\"VisibilityTimeout\":\"30\",\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"${dlq_arn}\\\",\\\"maxReceiveCount\\\":\\\"5\\\"}\"}"
  awslocal sqs create-queue --queue-name "$name" --attributes "$attributes" >/dev/null
  echo "oms: queue ${name} -> ${name}-dlq (maxReceiveCount 5)"
done
