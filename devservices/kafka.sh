#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft) for development, as a plain background process on 127.0.0.1 (no Docker).
#
#   devservices/kafka.sh start|stop|status
#
# The broker runs from the classpath Maven resolves from devservices/kafka/pom.xml (cached in
# target/kafka-broker/classpath.txt, shared with the tests' KafkaBrokerProcess) and from the same
# server.properties template. Data and log: $EDGERAG_KAFKA_DIR (default target/devservices/kafka).
# Ports: $EDGERAG_KAFKA_PORT (9092) and $EDGERAG_KAFKA_CONTROLLER_PORT (9093).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KAFKA_DIR=${EDGERAG_KAFKA_DIR:-$ROOT/target/devservices/kafka}
BROKER_PORT=${EDGERAG_KAFKA_PORT:-9092}
CONTROLLER_PORT=${EDGERAG_KAFKA_CONTROLLER_PORT:-9093}
NUM_PARTITIONS=${EDGERAG_KAFKA_PARTITIONS:-3}
POM=$ROOT/devservices/kafka/pom.xml
CLASSPATH_FILE=$ROOT/target/kafka-broker/classpath.txt
PID_FILE=$KAFKA_DIR/broker.pid
LOG_FILE=$KAFKA_DIR/broker.log
PROPERTIES=$KAFKA_DIR/server.properties
KAFKA_JAVA=("${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx512m "-Dlog4j2.configurationFile=$ROOT/devservices/kafka/log4j2.xml")
READY_TIMEOUT_S=60
STOP_TIMEOUT_S=30

# Resolved again when the pom is newer than the cache; written aside so a parallel test never reads half a file.
broker_classpath() {
  if [[ ! -s $CLASSPATH_FILE || $POM -nt $CLASSPATH_FILE ]]; then
    mkdir -p "$(dirname "$CLASSPATH_FILE")"
    local partial
    partial=$(mktemp "$CLASSPATH_FILE.XXXXXX")
    echo "Resolving the Kafka broker classpath with Maven..." >&2
    mvn -B -q -f "$POM" dependency:build-classpath -Dmdep.outputFile="$partial" >&2
    mv -f "$partial" "$CLASSPATH_FILE"
  fi
  cat "$CLASSPATH_FILE"
}

# The pid of our broker, if it runs; the cmdline check keeps a stale pid file from pointing at a stranger.
running_pid() {
  local pid
  [[ -f $PID_FILE ]] || return 1
  pid=$(<"$PID_FILE")
  kill -0 "$pid" 2>/dev/null && grep -qaF kafka.Kafka "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

port_open() {
  (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local pid
  if pid=$(running_pid); then
    echo "Kafka broker already running (pid $pid): 127.0.0.1:$BROKER_PORT"
    return 0
  fi
  for port in "$BROKER_PORT" "$CONTROLLER_PORT"; do
    if port_open "$port"; then
      echo "Port $port on 127.0.0.1 is taken by another process; set EDGERAG_KAFKA_PORT / EDGERAG_KAFKA_CONTROLLER_PORT" >&2
      return 1
    fi
  done
  mkdir -p "$KAFKA_DIR"
  CLASSPATH=$(broker_classpath)
  sed -e "s|@BROKER_PORT@|$BROKER_PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
      -e "s|@LOG_DIR@|$KAFKA_DIR/kafka-logs|g" -e "s|@NUM_PARTITIONS@|$NUM_PARTITIONS|g" \
      "$ROOT/devservices/kafka/server.properties.template" >"$PROPERTIES"
  # KRaft needs a formatted log dir; Kafka 4.1 wants a cluster id and --standalone for a bootstrap-servers quorum.
  if [[ ! -f $KAFKA_DIR/kafka-logs/meta.properties ]]; then
    local cluster_id
    cluster_id=$("${KAFKA_JAVA[@]}" -cp "$CLASSPATH" kafka.tools.StorageTool random-uuid 2>>"$LOG_FILE" | tail -n 1)
    "${KAFKA_JAVA[@]}" -cp "$CLASSPATH" kafka.tools.StorageTool format --config "$PROPERTIES" --cluster-id "$cluster_id" --standalone \
      >>"$LOG_FILE" 2>&1 || { echo "Formatting $KAFKA_DIR/kafka-logs failed; see $LOG_FILE" >&2; return 1; }
  fi
  nohup "${KAFKA_JAVA[@]}" -cp "$CLASSPATH" kafka.Kafka "$PROPERTIES" >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until port_open "$BROKER_PORT"; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS > deadline)); then
      echo "Kafka broker did not come up on 127.0.0.1:$BROKER_PORT; last lines of $LOG_FILE:" >&2
      tail -n 40 "$LOG_FILE" >&2
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      return 1
    fi
    sleep 0.2
  done
  echo "Kafka broker running (pid $pid, data $KAFKA_DIR)"
  echo "kafka.bootstrap.servers=127.0.0.1:$BROKER_PORT"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    echo "Kafka broker not running"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS > deadline)); then
      echo "Kafka broker ignored SIGTERM for ${STOP_TIMEOUT_S}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  echo "Kafka broker stopped"
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "Kafka broker running (pid $pid): 127.0.0.1:$BROKER_PORT, data $KAFKA_DIR"
  else
    echo "Kafka broker not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
