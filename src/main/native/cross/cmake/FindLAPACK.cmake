# Cross builds only: see FindBLAS.cmake beside this file (OpenBLAS carries LAPACK too).
set(LAPACK_FOUND TRUE)
set(LAPACK_LIBRARIES openblas)
