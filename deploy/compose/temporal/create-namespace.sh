#!/bin/sh
# One-shot job of docker-compose.yml (temporalio/admin-tools): waits until the Temporal server answers its health
# check, then creates the namespace the worker and the intake use, unless it exists. Retention: how long a closed
# run's history, and so its failover report, stays readable.
set -eu
: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS must name the Temporal frontend, e.g. temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-720h}"

attempt=1
until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do
  if [ "$attempt" -ge 60 ]; then
    echo "Temporal at $TEMPORAL_ADDRESS did not become healthy after $attempt attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

attempt=1
until temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; do
  if temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"; then
    echo "Namespace $NAMESPACE created (retention $RETENTION)"
  elif [ "$attempt" -ge 30 ]; then
    echo "Could not create namespace $NAMESPACE on $TEMPORAL_ADDRESS after $attempt attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done
echo "Namespace $NAMESPACE is ready"
