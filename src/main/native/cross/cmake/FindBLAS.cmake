# Cross builds only (build-faiss.sh puts this directory first on CMAKE_MODULE_PATH).
# FAISS's CMakeLists insists on find_package(BLAS REQUIRED), but the static libfaiss.a we build never
# links BLAS: the JNI library links libopenblas.so.0 from the org.bytedeco:openblas linux-arm64 jar.
# So no arm64 BLAS needs to be installed on the build machine just to get past configure.
set(BLAS_FOUND TRUE)
set(BLAS_LIBRARIES openblas)
