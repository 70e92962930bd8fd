# CMake toolchain file: cross-compile for linux-arm64 (NVIDIA Jetson) on an x86-64 Debian machine with
# Debian's g++-aarch64-linux-gnu. Plain armv8-a (NEON is part of it, so FAISS's __aarch64__ SIMD paths
# are compiled in); nothing Jetson-model-specific, so one build runs on Xavier and Orin alike.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_C_FLAGS_INIT "-march=armv8-a")
set(CMAKE_CXX_FLAGS_INIT "-march=armv8-a")
# Look for libraries and headers of the target only; programs (cmake's helpers) come from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
