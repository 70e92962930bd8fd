#!/usr/bin/env bash
# Cross-compiles edgerag's native part for linux-arm64 (NVIDIA Jetson) on an x86-64 Debian machine,
# checks what came out, and runs a FAISS smoke test on emulated arm64 with qemu-user.
#
#   src/main/native/cross-arm64.sh [OUT_DIR]     (default target/arm64; run `mvn test-compile` first)
#
# Steps:
#   1. FAISS 1.7.3, static, generic armv8-a (NEON): build-faiss.sh with EDGERAG_FAISS_TARGET_ARCH=aarch64,
#      cached under $EDGERAG_NATIVE_CACHE like the x86 build, under its own key; OUT_DIR/faiss links to it.
#   2. The JNI library: JavaCPP's Builder for platform linux-arm64 with aarch64-linux-gnu-g++, from the
#      JNI classes the x86 build generated -> OUT_DIR/io/edgerag/store/local/faiss/linux-arm64/
#      libjnifaiss.so, with the arm64 libgomp.so.1 beside it (the layout of the jar's x86 directory).
#      OpenBLAS comes from the org.bytedeco:openblas linux-arm64 jar, as on x86 (the pom unpacks
#      libopenblas.so.0, libgfortran.so.5 and the headers into target/native-deps).
#   3. Checks: every output is an AArch64 ELF, the JNI library has no undefined FAISS symbol, and it
#      carries NEON (128-bit vector) arithmetic.
#   4. Smoke test (src/test/native/faiss_smoke.cpp) under qemu-aarch64: FAISS searches on arm64 and the
#      JNI library dlopen()s with all symbols bound. Skipped with a note when qemu-aarch64 is missing.
#
# Needs: g++-aarch64-linux-gnu, cmake, make, a JDK; qemu-user for step 4.
# Environment: EDGERAG_NATIVE_JOBS, EDGERAG_NATIVE_CACHE, EDGERAG_NATIVE_REBUILD (see build-faiss.sh),
#   EDGERAG_M2_REPO  Maven local repository (default $HOME/.m2/repository)
set -euo pipefail

log() { echo "[cross-arm64] $*" >&2; }
die() { echo "[cross-arm64] ERROR: $*" >&2; exit 1; }

NATIVE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASEDIR="$(cd "$NATIVE_DIR/../../.." && pwd)"
OUT="$(mkdir -p "${1:-$BASEDIR/target/arm64}" && cd "${1:-$BASEDIR/target/arm64}" && pwd)"
M2="${EDGERAG_M2_REPO:-$HOME/.m2/repository}"
CLASSES="$BASEDIR/target/classes"
TRIPLE=aarch64-linux-gnu
QEMU_SYSROOT="/usr/$TRIPLE"

for tool in "$TRIPLE-g++" "$TRIPLE-readelf" "$TRIPLE-nm" "$TRIPLE-objdump" java; do
  command -v "$tool" >/dev/null || die "'$tool' not found; apt-get install g++-aarch64-linux-gnu (and a JDK)"
done
[[ -f "$CLASSES/io/edgerag/store/local/faiss/jni/FaissIndex.class" ]] \
  || die "no generated FAISS JNI classes in $CLASSES: run 'mvn test-compile' first"

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$BASEDIR/pom.xml" | head -n1; }
maven_jar() { # groupPath artifact version
  local f="$M2/$1/$2/$3/$2-$3.jar"
  [[ -f "$f" ]] || die "$f missing: 'mvn test-compile' downloads it"
  echo "$f"
}
JAVACPP_JAR="$(maven_jar org/bytedeco javacpp "$(pom_property javacpp.version)")"
OPENBLAS_JAR="$(maven_jar org/bytedeco openblas "$(pom_property openblas.version)")"
# unpacked from the org.bytedeco:openblas linux-arm64 jar by the pom's unpack-openblas-arm64 execution
OPENBLAS="$BASEDIR/target/native-deps/org/bytedeco/openblas/linux-arm64"
[[ -f "$OPENBLAS/libopenblas.so.0" ]] || die "no $OPENBLAS/libopenblas.so.0: run 'mvn test-compile' first"

# ---- 1. FAISS ------------------------------------------------------------------------------------
EDGERAG_FAISS_TARGET_ARCH=aarch64 bash "$NATIVE_DIR/build-faiss.sh" "$OUT/faiss" >/dev/null
FAISS="$OUT/faiss"

# ---- 2. JNI library --------------------------------------------------------------------------------
JNI_DIR="$OUT/io/edgerag/store/local/faiss/linux-arm64"
rm -rf "$JNI_DIR" && mkdir -p "$JNI_DIR"
log "JavaCPP: building libjnifaiss.so for linux-arm64 with $TRIPLE-g++ (~1 min)"
java -cp "$JAVACPP_JAR:$OPENBLAS_JAR" org.bytedeco.javacpp.tools.Builder -classpath "$CLASSES" \
  -properties linux-arm64 \
  -Dplatform.compiler="$TRIPLE-g++" \
  -Dplatform.includepath="$FAISS/include:$NATIVE_DIR/include:$OPENBLAS/include" \
  -Dplatform.linkpath="$FAISS/lib:$OPENBLAS" \
  -d "$JNI_DIR" 'io.edgerag.store.local.faiss.jni.**' >&2
JNI_LIB="$JNI_DIR/libjnifaiss.so"
[[ -f "$JNI_LIB" ]] || die "JavaCPP did not produce $JNI_LIB"
cp -f "$(readlink -f "$("$TRIPLE-g++" -print-file-name=libgomp.so.1)")" "$JNI_DIR/libgomp.so.1"

# ---- 3. checks ---------------------------------------------------------------------------------------
# (for an archive readelf prints one header per member: all of them must say AArch64)
is_aarch64_elf() { [[ "$("$TRIPLE-readelf" -h "$1" | sed -n 's/^ *Machine: *//p' | sort -u)" == AArch64 ]]; }
for f in "$JNI_LIB" "$JNI_DIR/libgomp.so.1" "$FAISS/lib/libfaiss.a"; do
  is_aarch64_elf "$f" || die "$f is not an AArch64 ELF"
  echo "OK AArch64 ELF: ${f#"$OUT"/}"
done
unresolved="$("$TRIPLE-nm" -D -C --undefined-only "$JNI_LIB" | grep -c 'faiss::' || true)"
[[ "$unresolved" == 0 ]] || die "libjnifaiss.so leaves $unresolved FAISS symbols undefined"
needed="$("$TRIPLE-readelf" -d "$JNI_LIB" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
echo "OK libjnifaiss.so: no undefined FAISS symbol; needs ${needed% }"
neon="$("$TRIPLE-objdump" -d "$JNI_LIB" | grep -cE $'\t''f(mla|add|mul)'$'\t''v[0-9]+\.4s' || true)"
[[ "$neon" -gt 0 ]] || die "libjnifaiss.so has no NEON float vector instructions"
echo "OK libjnifaiss.so: $neon NEON float vector instructions (fmla/fadd/fmul on .4s)"

# ---- 4. smoke test under qemu-user -----------------------------------------------------------------
SMOKE="$OUT/faiss_smoke"
"$TRIPLE-g++" -std=c++17 -O2 -fopenmp -I"$FAISS/include" "$BASEDIR/src/test/native/faiss_smoke.cpp" \
  "$FAISS/lib/libfaiss.a" -L"$OPENBLAS" -l:libopenblas.so.0 -Wl,-rpath-link,"$OPENBLAS" -ldl -o "$SMOKE"
is_aarch64_elf "$SMOKE" || die "$SMOKE is not an AArch64 ELF"
if ! command -v qemu-aarch64 >/dev/null; then
  echo "SKIPPED smoke test: qemu-aarch64 not installed (apt-get install qemu-user); built $SMOKE"
  exit 0
fi
log "running $SMOKE under qemu-aarch64"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=2 qemu-aarch64 -L "$QEMU_SYSROOT" \
  -E LD_LIBRARY_PATH="$OPENBLAS:$JNI_DIR" "$SMOKE" "$JNI_LIB"
echo "OK smoke test passed under $(qemu-aarch64 --version | head -n1)"
