#!/usr/bin/env bash
# One entry point for a fresh machine: installs what the build needs, then runs the appliance or the
# tests. The README's Quick start calls it; .ci/run calls `deploy/edgerag.sh test`.
#
#   deploy/edgerag.sh run     # the appliance on the embedded default (no Kafka, no cloud, no GPU)
#   deploy/edgerag.sh test    # the whole test suite (what CI runs)
#   deploy/edgerag.sh ingest DIR   # bulk-ingest a folder into the local store, then exit
set -euo pipefail
cd "$(dirname "$0")/.."

# Build prerequisites: a C++ toolchain, CMake and a BLAS dev package to compile FAISS (once; the
# result is cached under ~/.cache/edgerag) and dpkg-dev to fetch FAISS's Debian source package; the
# tests also need Chromium (the web page test), promtool from Debian's prometheus package (the alert
# rule unit tests; its daemon is never started), and the arm64 cross compiler and qemu-user (the Jetson
# cross build and its smoke test, FaissArm64CrossBuildTest). Nothing from apt is needed at run time.
APT_PACKAGES=(g++ make cmake patch libopenblas-dev dpkg-dev curl ca-certificates)

missing_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

enable_deb_src() {
  # `apt-get source faiss` needs deb-src entries; add them beside the deb ones.
  local f=/etc/apt/sources.list.d/debian.sources
  if [ -f "$f" ] && ! grep -q '^Types:.*deb-src' "$f"; then
    sed -i 's/^Types: deb$/Types: deb deb-src/' "$f"
    return 0
  fi
  if [ -f /etc/apt/sources.list ] && ! grep -q '^deb-src' /etc/apt/sources.list; then
    sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list >> /etc/apt/sources.list
  fi
}

install_prerequisites() {
  command -v apt-get >/dev/null || { echo "edgerag: not a Debian-like system; install: ${APT_PACKAGES[*]} by hand" >&2; return; }
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "edgerag: missing packages and no sudo: $(missing_packages | tr '\n' ' ')" >&2; return; }
    sudo=sudo
  fi
  local need
  need=$(missing_packages | tr '\n' ' ')
  if [ -n "$need" ] || [ ! -d "$HOME/.cache/edgerag" ]; then
    $sudo bash -c "$(declare -f enable_deb_src); enable_deb_src"
    $sudo apt-get update -qq
    [ -z "$need" ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need
  fi
}

cmd=${1:-run}
shift || true
case "$cmd" in
  run)
    install_prerequisites
    mvn -B -q -DskipTests package
    exec java -jar target/quarkus-app/quarkus-run.jar "$@"
    ;;
  ingest)
    install_prerequisites
    [ -f target/quarkus-app/quarkus-run.jar ] || mvn -B -q -DskipTests package
    exec java -Dquarkus.http.port=0 -jar target/quarkus-app/quarkus-run.jar ingest "$@"
    ;;
  test)
    APT_PACKAGES+=(chromium prometheus g++-aarch64-linux-gnu qemu-user)
    install_prerequisites
    exec mvn -B verify "$@"
    ;;
  *)
    echo "usage: $0 run|test|ingest DIR" >&2
    exit 2
    ;;
esac
