#!/usr/bin/env bash
# Builds FAISS 1.7.3 as static, position-independent, CPU-only libraries for the JavaCPP preset
# of edgerag, and caches the result so that later builds (even from a fresh clone) reuse it.
#
# Output (printed as the last line, "FAISS_HOME=<dir>", and symlinked to $1 when given):
#   <cache>/faiss-1.7.3-<arch>-<hash>/include/faiss/...   headers
#   <cache>/faiss-1.7.3-<arch>-<hash>/lib/libfaiss.a       generic build
#   <cache>/faiss-1.7.3-<arch>-<hash>/lib/libfaiss_avx2.a  AVX2/FMA/F16C build (x86-64 only)
#
# Environment:
#   EDGERAG_NATIVE_CACHE  cache root (default $HOME/.cache/edgerag)
#   FAISS_SRC_DIR         use this unpacked FAISS 1.7.3 source tree instead of fetching one
#   EDGERAG_NATIVE_JOBS   parallel compile jobs (default: nproc)
#   EDGERAG_NATIVE_REBUILD=1  ignore a cached build and compile again
#   EDGERAG_FAISS_TARGET_ARCH  build for another CPU than this machine's (cross-compile); only
#                         "aarch64" on an x86-64 host is supported, with Debian's g++-aarch64-linux-gnu and
#                         the toolchain file in src/main/native/cross (see cross-arm64.sh)
set -euo pipefail

FAISS_VERSION=1.7.3
# sha256 of faiss_1.7.3.orig.tar.gz (Debian's copy of the upstream v1.7.3 release tarball)
FAISS_TARBALL_SHA256=3e4fac26d8c9e9008ecea4ae5fc414c658998fce4ba75835058b1a71d3516002
FAISS_TARBALL_URLS=(
  "https://deb.debian.org/debian/pool/main/f/faiss/faiss_${FAISS_VERSION}.orig.tar.gz"
  "https://github.com/facebookresearch/faiss/archive/refs/tags/v${FAISS_VERSION}.tar.gz"
)

log() { echo "[build-faiss] $*" >&2; }
die() { echo "[build-faiss] ERROR: $*" >&2; exit 1; }

LINK_TO="${1:-}"
ARCH="${EDGERAG_FAISS_TARGET_ARCH:-$(uname -m)}"
CROSS_DIR=""
if [[ "$ARCH" != "$(uname -m)" ]]; then
  CROSS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cross"
  [[ -f "$CROSS_DIR/$ARCH-linux-gnu.cmake" ]] || die "no toolchain file for cross-compiling to $ARCH in $CROSS_DIR"
fi
JOBS="${EDGERAG_NATIVE_JOBS:-$(nproc)}"
CACHE_ROOT="${EDGERAG_NATIVE_CACHE:-$HOME/.cache/edgerag}"

CMAKE_FLAGS=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON
  -DFAISS_ENABLE_GPU=OFF
  -DFAISS_ENABLE_PYTHON=OFF
  -DFAISS_ENABLE_C_API=OFF
  -DBUILD_TESTING=OFF
)
case "$ARCH" in
  x86_64)  CMAKE_FLAGS+=(-DFAISS_OPT_LEVEL=avx2); TARGETS=(faiss faiss_avx2) ;;
  aarch64) CMAKE_FLAGS+=(-DFAISS_OPT_LEVEL=generic); TARGETS=(faiss) ;;  # NEON is used by default
  *)       CMAKE_FLAGS+=(-DFAISS_OPT_LEVEL=generic); TARGETS=(faiss) ;;
esac

SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
# The hash covers the build recipe (everything from the "configure and build" marker on) and the
# flags, so editing how the source is obtained does not invalidate a cached build.
PATCH_DIR="$(dirname "$SCRIPT_PATH")/patches"
HASH="$( { sed -n '/^# ---- 2\. configure and build/,$p' "$SCRIPT_PATH"; cat "$PATCH_DIR"/*.patch 2>/dev/null; \
           printf '%s\n' "$FAISS_VERSION" "$ARCH" "${CMAKE_FLAGS[@]}" "${TARGETS[@]}"; } | sha256sum | cut -c1-12)"
if [[ -n "$CROSS_DIR" ]]; then
  # A cross build has its own key: the toolchain file and the configure-time BLAS stand-in count too.
  # Their paths are added to the flags only after hashing, so every checkout shares the cache entry.
  HASH="$( { echo "$HASH"; cat "$CROSS_DIR/$ARCH-linux-gnu.cmake" "$CROSS_DIR"/cmake/*.cmake; } | sha256sum | cut -c1-12)"
  CMAKE_FLAGS+=(-DCMAKE_TOOLCHAIN_FILE="$CROSS_DIR/$ARCH-linux-gnu.cmake" -DCMAKE_MODULE_PATH="$CROSS_DIR/cmake")
  OUT="$CACHE_ROOT/faiss-$FAISS_VERSION-$ARCH-cross-$HASH"
else
  OUT="$CACHE_ROOT/faiss-$FAISS_VERSION-$ARCH-$HASH"
fi

publish() {
  if [[ -n "$LINK_TO" ]]; then
    mkdir -p "$(dirname "$LINK_TO")"
    ln -sfn "$OUT" "$LINK_TO"
    log "linked $LINK_TO -> $OUT"
  fi
  echo "FAISS_HOME=$OUT"
}

# Two builds of one cache entry at once (two checkouts, a bench beside a test run) wait for each other
# rather than compile it twice; a build of another entry (the arm64 cross build) does not hold them up.
mkdir -p "$CACHE_ROOT"
exec 9>"$OUT.lock"
flock 9

if [[ "${EDGERAG_NATIVE_REBUILD:-0}" != 1 && -f "$OUT/.complete" ]]; then
  log "cache hit: $OUT (set EDGERAG_NATIVE_REBUILD=1 or delete it to rebuild)"
  publish
  exit 0
fi

log "cache miss: building FAISS $FAISS_VERSION for $ARCH into $OUT"
CXX_TOOL=g++
[[ -z "$CROSS_DIR" ]] || CXX_TOOL="$ARCH-linux-gnu-g++"
for tool in cmake make "$CXX_TOOL"; do
  command -v "$tool" >/dev/null || die "'$tool' not found; install cmake, make and $CXX_TOOL (see src/main/native/README.md)"
done

mkdir -p "$CACHE_ROOT"
WORK="$(mktemp -d "$CACHE_ROOT/.work-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# ---- 1. obtain the source --------------------------------------------------------------------
SRC_CACHE="$CACHE_ROOT/src/faiss-$FAISS_VERSION"
is_faiss_tree() { [[ -f "$1/CMakeLists.txt" && -f "$1/faiss/IndexHNSW.h" ]]; }

if [[ -n "${FAISS_SRC_DIR:-}" ]]; then
  is_faiss_tree "$FAISS_SRC_DIR" || die "FAISS_SRC_DIR=$FAISS_SRC_DIR is not a FAISS source tree"
  SRC="$FAISS_SRC_DIR"
  log "source: \$FAISS_SRC_DIR=$SRC"
elif is_faiss_tree "$SRC_CACHE"; then
  SRC="$SRC_CACHE"
  log "source: cached copy $SRC"
else
  got=""
  if command -v apt-get >/dev/null && command -v dpkg-source >/dev/null; then
    log "source: trying 'apt-get source faiss' (needs deb-src entries; must be version $FAISS_VERSION)"
    mkdir -p "$WORK/apt"
    if (cd "$WORK/apt" && apt-get source -q faiss >&2) ; then
      d="$WORK/apt/faiss-$FAISS_VERSION"
      if is_faiss_tree "$d"; then
        got="$d"
      else
        log "apt-get source gave $(ls "$WORK/apt" | tr '\n' ' ')- not FAISS $FAISS_VERSION, ignoring it"
      fi
    else
      log "apt-get source failed (no deb-src entries, or no network to the Debian mirror)"
    fi
  fi
  if [[ -z "$got" ]]; then
    for url in "${FAISS_TARBALL_URLS[@]}"; do
      log "source: downloading $url"
      if curl -fsSL --retry 2 -o "$WORK/faiss.tar.gz" "$url"; then
        actual="$(sha256sum "$WORK/faiss.tar.gz" | cut -d' ' -f1)"
        if [[ "$actual" == "$FAISS_TARBALL_SHA256" ]]; then
          mkdir -p "$WORK/tar" && tar -xzf "$WORK/faiss.tar.gz" -C "$WORK/tar"
          got="$(find "$WORK/tar" -maxdepth 1 -mindepth 1 -type d | head -n1)"
          break
        fi
        log "sha256 mismatch for $url: got $actual, want $FAISS_TARBALL_SHA256"
      else
        log "download failed: $url"
      fi
    done
  fi
  [[ -n "$got" ]] || die "could not obtain FAISS $FAISS_VERSION source: set FAISS_SRC_DIR, enable deb-src \
(apt-get source faiss) or allow network access to ${FAISS_TARBALL_URLS[*]}"
  rm -rf "$SRC_CACHE.tmp" && mkdir -p "$(dirname "$SRC_CACHE")"
  cp -a "$got" "$SRC_CACHE.tmp" && rm -rf "$SRC_CACHE" && mv "$SRC_CACHE.tmp" "$SRC_CACHE"
  SRC="$SRC_CACHE"
  log "source: cached at $SRC"
fi

# ---- 2. configure and build ------------------------------------------------------------------
# Our patches (src/main/native/patches) go onto a scratch copy, so the cached source stays pristine.
cp -a "$SRC" "$WORK/src" && SRC="$WORK/src"
for p in "$PATCH_DIR"/*.patch; do
  [[ -f "$p" ]] || continue
  log "patch: $(basename "$p")"
  patch -d "$SRC" -p1 --forward --quiet < "$p" >&2 || die "patch $(basename "$p") does not apply"
done
log "cmake ${CMAKE_FLAGS[*]}"
cmake -S "$SRC" -B "$WORK/build" "${CMAKE_FLAGS[@]}" >&2 \
  || die "cmake configure failed (FAISS needs a BLAS/LAPACK dev package at configure time, e.g. libopenblas-dev)"
for t in "${TARGETS[@]}"; do
  log "compiling target $t with $JOBS jobs (takes a few minutes)"
  cmake --build "$WORK/build" --target "$t" -j "$JOBS" >&2
done

# ---- 3. install into the cache (atomically) --------------------------------------------------
STAGE="$WORK/out"
mkdir -p "$STAGE/lib" "$STAGE/include"
for t in "${TARGETS[@]}"; do cp "$WORK/build/faiss/lib$t.a" "$STAGE/lib/"; done
(cd "$SRC" && find faiss -name '*.h' -not -path 'faiss/gpu/*' -not -path 'faiss/python/*' \
   -exec cp --parents {} "$STAGE/include/" \;)
printf 'faiss %s\narch %s\nflags %s\ntargets %s\nsource %s\n' "$FAISS_VERSION" "$ARCH" \
  "${CMAKE_FLAGS[*]}" "${TARGETS[*]}" "$SRC" > "$STAGE/BUILD-INFO"
touch "$STAGE/.complete"
rm -rf "$OUT" && mv "$STAGE" "$OUT"
log "built: $(ls "$OUT/lib" | tr '\n' ' ')"
publish
