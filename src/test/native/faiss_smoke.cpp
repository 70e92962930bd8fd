// Smoke test for a cross-built FAISS (src/main/native/cross-arm64.sh runs it under qemu-aarch64):
// the index kinds edgerag uses find each stored vector as its own nearest neighbour, through both of
// FAISS's search paths (one query at a time: the NEON SIMD kernels; a batch of 20 or more: OpenBLAS
// sgemm), and, given a path, the JNI library dlopen()s with every symbol bound.
//
// Usage: faiss_smoke [libjnifaiss.so]     exit 0 and one "OK ..." line per check, or exit 1
#include <dlfcn.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>

namespace {

using idx_t = faiss::Index::idx_t;  // FAISS 1.7.3 has no faiss::idx_t yet

constexpr int kDim = 64;
constexpr int kCount = 200;
constexpr idx_t kFirstId = 1000;

int failures = 0;

void check(bool ok, const char* what, int good, int total) {
    std::printf("%s %s: %d/%d\n", ok ? "OK" : "FAIL", what, good, total);
    if (!ok) failures++;
}

std::vector<float> unit_vectors(int n) {
    std::mt19937 rng(42);
    std::normal_distribution<float> gauss;
    std::vector<float> v(static_cast<size_t>(n) * kDim);
    for (int i = 0; i < n; i++) {
        float norm = 0;
        for (int j = 0; j < kDim; j++) {
            float x = gauss(rng);
            v[i * kDim + j] = x;
            norm += x * x;
        }
        for (int j = 0; j < kDim; j++) v[i * kDim + j] /= std::sqrt(norm);
    }
    return v;
}

// Searches for every stored vector, batch queries at once or one by one, and counts self-hits.
int self_hits(faiss::Index& index, const std::vector<float>& data, int batch, bool ids) {
    int good = 0;
    std::vector<float> distances(batch);
    std::vector<idx_t> labels(batch);
    for (int first = 0; first < kCount; first += batch) {
        index.search(batch, data.data() + first * kDim, 1, distances.data(), labels.data());
        for (int q = 0; q < batch; q++) {
            idx_t want = ids ? kFirstId + first + q : first + q;
            if (labels[q] == want) good++;
        }
    }
    return good;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<float> data = unit_vectors(kCount);

    faiss::IndexFlatIP flat(kDim);
    faiss::IndexIDMap mapped(&flat);
    std::vector<idx_t> ids(kCount);
    for (int i = 0; i < kCount; i++) ids[i] = kFirstId + i;
    mapped.add_with_ids(kCount, data.data(), ids.data());
    int single = self_hits(mapped, data, 1, true);
    check(single == kCount, "IndexIDMap(IndexFlatIP) one query at a time (SIMD)", single, kCount);
    int batched = self_hits(mapped, data, kCount, true);
    check(batched == kCount, "IndexIDMap(IndexFlatIP) all queries in one batch (BLAS)", batched, kCount);

    faiss::IndexHNSWFlat hnsw(kDim, 16, faiss::METRIC_INNER_PRODUCT);
    hnsw.hnsw.efSearch = 64;
    hnsw.add(kCount, data.data());
    int graph = self_hits(hnsw, data, 1, false);
    check(graph >= kCount * 99 / 100, "IndexHNSWFlat (inner product) self-hits, at least 99%", graph, kCount);

    if (argc > 1) {
        void* jni = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
        if (jni == nullptr) std::printf("dlopen: %s\n", dlerror());
        void* onload = jni ? dlsym(jni, "JNI_OnLoad") : nullptr;
        check(onload != nullptr, "JNI library loads with all symbols bound and exports JNI_OnLoad",
              onload ? 1 : 0, 1);
    }
    return failures == 0 ? 0 : 1;
}
