#!/usr/bin/env bash
# One-shot: creates the topics of infra/kafka/topics.properties (name=partitions, the list the embedded
# stack creates) on the compose broker. Idempotent (--if-not-exists), so a re-run of `docker compose up`
# leaves existing topics alone; a partition count raised in the file is applied with --alter.
set -euo pipefail

topics_file="${1:-/etc/floe/kafka/topics.properties}"
bootstrap="${KAFKA_BOOTSTRAP_SERVERS:?KAFKA_BOOTSTRAP_SERVERS must name the broker}"
kafka_topics="${FLOE_KAFKA_TOPICS_COMMAND:-/opt/kafka/bin/kafka-topics.sh}"

while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%#*}"
  line="$(echo "$line" | tr -d '[:space:]')"
  [ -z "$line" ] && continue
  name="${line%%=*}"
  partitions="${line#*=}"
  if [ "$name" = "$line" ] || ! [[ "$partitions" =~ ^[1-9][0-9]*$ ]]; then
    echo "bad line in $topics_file: '$line' (expected name=partitions)" >&2
    exit 1
  fi
  "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 1
  current="$("$kafka_topics" --bootstrap-server "$bootstrap" --describe --topic "$name" \
    | sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -n1)"
  if [ -n "$current" ] && [ "$current" -lt "$partitions" ]; then
    "$kafka_topics" --bootstrap-server "$bootstrap" --alter --topic "$name" --partitions "$partitions"
  fi
  echo "topic $name: $partitions partition(s)"
done < "$topics_file"
