// Small helpers exposed to Java next to the FAISS API (parsed by JavaCPP after the FAISS headers).
#pragma once
#include <omp.h>
#include <faiss/Index.h>
#include <faiss/IndexFlatCodes.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexPQ.h>

namespace edgerag {

/** Sets the OpenMP thread count of the calling thread (OMP_NUM_THREADS applies to all threads). */
inline void set_omp_threads(int n) { omp_set_num_threads(n); }

/** omp_get_max_threads() as seen by the calling thread. */
inline int get_omp_max_threads() { return omp_get_max_threads(); }

/** dynamic_cast helpers: null when the index is not of that type. */
inline faiss::IndexHNSW* as_hnsw(faiss::Index* index) { return dynamic_cast<faiss::IndexHNSW*>(index); }
inline faiss::IndexIVF* as_ivf(faiss::Index* index) { return dynamic_cast<faiss::IndexIVF*>(index); }
inline faiss::IndexFlatCodes* as_flat_codes(faiss::Index* index) { return dynamic_cast<faiss::IndexFlatCodes*>(index); }
inline faiss::IndexPQ* as_pq(faiss::Index* index) { return dynamic_cast<faiss::IndexPQ*>(index); }

/** Frees an index returned by index_factory or read_index (JavaCPP does not own those). */
inline void delete_index(faiss::Index* index) { delete index; }

} // namespace edgerag
