#!/usr/bin/env bash
# A one-node Slurm on this machine, for the sweep integration test (make test-slurm).
#   scripts/slurm-local.sh start   install slurm-wlm and munge when missing (as root, apt), write a
#                                  one-node configuration, start munged, slurmctld and slurmd;
#                                  prints the SLURM_CONF to export
#   scripts/slurm-local.sh stop    stop every daemon this script started
#   scripts/slurm-local.sh status  show the node
# State lives in $ICCSIM_SLURM_DIR (default /tmp/iccsim-slurm); nothing outside it is changed
# except packages installed. Exit 0 on success, 1 when Slurm cannot be started here.
set -euo pipefail
D=${ICCSIM_SLURM_DIR:-/tmp/iccsim-slurm}
CONF=$D/slurm.conf
HOST=$(hostname -s)

log() { echo "slurm-local: $*" >&2; }
# Whether the daemon whose pid file is $1 runs.
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_packages() {
  local missing=""
  command -v slurmctld >/dev/null 2>&1 || missing="$missing slurm-wlm"
  command -v munged >/dev/null 2>&1 || missing="$missing munge"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing$missing"
    (apt-get install -y -qq $missing >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null; }) \
      || { log "could not install$missing"; exit 1; }
  else
    log "missing$missing: install them (sudo apt-get install$missing) and run again"; exit 1
  fi
}

start() {
  install_packages
  mkdir -p "$D/state" "$D/slurmd" "$D/munge"
  # munge: our own daemon, socket and key, so the system's are untouched.
  if [ ! -s "$D/munge/munge.key" ]; then
    dd if=/dev/urandom of="$D/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$D/munge/munge.key"
  fi
  if ! running "$D/munge/munged.pid"; then
    munged --force --key-file="$D/munge/munge.key" --socket="$D/munge/munge.socket" \
      --pid-file="$D/munge/munged.pid" --log-file="$D/munge/munged.log" --seed-file="$D/munge/munged.seed"
  fi
  local cpus; cpus=$(nproc)
  cat > "$CONF" <<CONF
ClusterName=iccsim-local
SlurmctldHost=$HOST
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.socket
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
ReturnToService=2
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmdSpoolDir=$D/slurmd
StateSaveLocation=$D/state
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MaxArraySize=10001
MailProg=/bin/true
NodeName=$HOST CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$CONF
  running "$D/slurmctld.pid" || slurmctld -f "$CONF"
  running "$D/slurmd.pid" || slurmd -f "$CONF"
  for _ in $(seq 1 60); do
    if timeout 5 sinfo -h -o %t 2>/dev/null | grep -q "^idle"; then
      log "up: one node ($HOST, $cpus CPUs); export SLURM_CONF=$CONF"
      echo "$CONF"
      return 0
    fi
    sleep 0.5
  done
  log "the node did not come up; logs in $D"; tail -n 5 "$D/slurmctld.log" "$D/slurmd.log" >&2 || true
  stop; exit 1
}

stop() {
  for f in "$D/slurmd.pid" "$D/slurmctld.pid" "$D/munge/munged.pid"; do
    if [ -f "$f" ]; then
      pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$f"
    fi
  done
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) SLURM_CONF=$CONF timeout 10 sinfo ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
