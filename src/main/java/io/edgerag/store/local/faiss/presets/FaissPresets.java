package io.edgerag.store.local.faiss.presets;

import java.util.List;
import org.bytedeco.javacpp.ClassProperties;
import org.bytedeco.javacpp.LoadEnabled;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;
import org.bytedeco.openblas.presets.openblas;

/**
 * JavaCPP preset for the subset of FAISS 1.7.3 that edgerag uses. Parsed and compiled by the
 * project's own Maven build against the static, PIC FAISS built by {@code src/main/native/build-faiss.sh}.
 *
 * <p>Two JNI variants are built for x86-64: the plain one (platform {@code linux-x86_64}, linked with
 * {@code libfaiss.a}) and the AVX2 one (platform extension {@code -avx2}, directory
 * {@code linux-x86_64-avx2}, linked with {@code libfaiss_avx2.a}). {@code FaissLibrary.load()} picks one.
 */
@Properties(
        inherit = openblas.class,
        target = "io.edgerag.store.local.faiss.jni",
        global = "io.edgerag.store.local.faiss.jni.global.faiss",
        value = {
            @Platform(
                    value = {"linux-x86_64", "linux-arm64"},
                    compiler = {"cpp17", "nowarnings"},
                    include = {
                        "faiss/MetricType.h",
                        "faiss/impl/IDSelector.h",
                        "faiss/Index.h",
                        "faiss/IndexFlatCodes.h",
                        "faiss/IndexFlat.h",
                        "faiss/impl/HNSW.h",
                        "faiss/IndexHNSW.h",
                        "faiss/Clustering.h",
                        "faiss/impl/Quantizer.h",
                        "faiss/impl/ProductQuantizer.h",
                        "faiss/IndexPQ.h",
                        "faiss/IndexIVF.h",
                        "faiss/IndexIVFPQ.h",
                        "faiss/index_factory.h",
                        "faiss/index_io.h",
                        "edgerag_faiss.h"
                    },
                    // libfaiss.a is swapped for libfaiss_avx2.a by init() for the -avx2 extension;
                    // OpenBLAS comes from the org.bytedeco:openblas jar (same soname at run time).
                    link = {":libfaiss.a", "gomp@.1"},
                    preload = {"gomp@.1"},
                    preloadpath = {"/usr/lib/x86_64-linux-gnu/", "/lib/x86_64-linux-gnu/",
                                   "/usr/lib/aarch64-linux-gnu/", "/lib/aarch64-linux-gnu/"}),
            // OpenBLAS 0.3.31's openblas_config.h (included through the inherited preset) declares
            // `typedef _Float16 hfloat16` for any GCC >= 12, but GCC 12 has no _Float16 in C++ on arm64
            // (it came in 13), so the arm64 JNI build failed there (Debian 12, the arm64 image's base).
            // __fp16 is arm64's half type; only a few cblas declarations we never call use it.
            // Found by the cross build (src/main/native/cross-arm64.sh, FaissArm64CrossBuildTest).
            @Platform(value = "linux-arm64", define = "_Float16 __fp16")
        })
public class FaissPresets implements InfoMapper, LoadEnabled {

    static final String STATIC_GENERIC = ":libfaiss.a";
    static final String STATIC_AVX2 = ":libfaiss_avx2.a";

    @Override
    public void init(ClassProperties properties) {
        List<String> links = properties.get("platform.link");
        if (Loader.isLoadLibraries()) {
            // At run time only shared libraries matter: drop the static archive and the link-only name.
            links.removeIf(l -> l.startsWith(":"));
            return;
        }
        // Build time: link OpenBLAS by soname from the unpacked org.bytedeco:openblas jar
        // (it ships libopenblas.so.0 only, no unversioned dev symlink).
        // JavaCPP puts the last link first on the command line, so keep the static archive last and
        // OpenBLAS first: "-l:libfaiss*.a -lgomp -l:libopenblas.so.0". init() runs once per class.
        String extension = properties.getProperty("platform.extension", "");
        String archive = extension != null && extension.contains("avx2") ? STATIC_AVX2 : STATIC_GENERIC;
        links.removeIf(l -> l.startsWith("openblas") || l.startsWith(":"));
        links.add(0, ":libopenblas.so.0");
        links.add(archive);
    }

    @Override
    public void map(InfoMap infoMap) {
        // Parsing the inherited LAPACK headers costs ~70 s and gives us nothing.
        infoMap.put(new Info("lapack.h", "lapacke.h", "lapacke_utils.h", "lapacke_config.h", "lapacke_mangling.h")
                .linePatterns(".*").skip());

        infoMap.put(new Info("FAISS_API", "FAISS_PRAGMA_IMPRECISE_LOOP", "FAISS_PRAGMA_IMPRECISE_FUNCTION_BEGIN",
                        "FAISS_PRAGMA_IMPRECISE_FUNCTION_END").cppTypes().annotations())
                .put(new Info("idx_t", "faiss::idx_t", "faiss::Index::idx_t", "faiss::HNSW::idx_t",
                        "faiss::IDSelector::idx_t", "Index::idx_t")
                        .cppTypes("int64_t").valueTypes("long").pointerTypes("LongPointer", "LongBuffer", "long[]"))
                .put(new Info("faiss::HNSW::storage_idx_t", "storage_idx_t")
                        .cppTypes("int").valueTypes("int").pointerTypes("IntPointer", "IntBuffer", "int[]"))
                .put(new Info("faiss::Index").pointerTypes("FaissIndex"))
                .put(new Info("faiss::IndexFlatCodes", "faiss::Quantizer").purify())
                .put(new Info("faiss::IVFSearchParameters").skip())
                // No std containers cross into Java: members of these types are not mapped.
                .put(new Info("std::vector<uint8_t>", "std::vector<float>", "std::vector<idx_t>",
                        "std::vector<faiss::Index::idx_t>", "std::vector<int>", "std::vector<double>",
                        "std::vector<size_t>", "std::vector<storage_idx_t>", "std::vector<faiss::Index*>",
                        "std::vector<Index*>", "std::vector<ClusteringIterationStats>",
                        "std::vector<omp_lock_t>", "std::unordered_set<idx_t>",
                        "std::priority_queue<NodeDistFarther>", "std::vector<NodeDistFarther>",
                        "std::pair<float,storage_idx_t>", "std::vector<float*>").skip())
                // Internals edgerag never touches.
                .put(new Info("faiss::HNSW::MinimaxHeap", "faiss::HNSW::NodeDistCloser",
                        "faiss::HNSW::NodeDistFarther", "faiss::HNSW::Node", "faiss::HNSW::rng",
                        "faiss::HNSW::add_links_starting_from", "faiss::HNSW::add_with_locks",
                        "faiss::HNSW::search", "faiss::HNSW::search_level_0", "faiss::HNSW::shrink_neighbor_list",
                        "faiss::HNSWStats", "faiss::hnsw_stats", "faiss::ReconstructFromNeighbors",
                        "faiss::IndexHNSW::reconstruct_from_neighbors", "faiss::IndexHNSW2Level",
                        "faiss::IndexHNSWSQ", "faiss::IndexHNSW::search_level_0", "faiss::IndexHNSW::init_level_0_from_knngraph",
                        "faiss::IndexHNSW::init_level_0_from_entry_points", "faiss::IndexHNSW::get_distance_computer",
                        "faiss::IndexFlat1D", "faiss::IndexPQStats", "faiss::indexPQ_stats", "faiss::MultiIndexQuantizer2",
                        "faiss::IndexIVFStats", "faiss::indexIVF_stats", "faiss::IndexIVFPQStats", "faiss::indexIVFPQ_stats",
                        "faiss::InvertedListScanner", "faiss::IndexIVF::get_InvertedListScanner",
                        "faiss::IndexIVF::search_preassigned", "faiss::IndexIVF::range_search_preassigned",
                        "faiss::IndexIVFPQ::find_duplicates", "faiss::IndexIVFPQ::precomputed_table",
                        "faiss::initialize_IVFPQ_precomputed_table", "faiss::IndexIVF::invlists",
                        "faiss::IndexIVF::direct_map", "faiss::IndexIVF::replace_invlists",
                        "faiss::IndexIVF::make_direct_map", "faiss::IndexIVF::set_direct_map_type",
                        "faiss::IndexIVF::update_vectors", "faiss::IndexIVF::get_list_size",
                        "faiss::Level1Quantizer::cp", "faiss::Level1Quantizer::clustering_index",
                        "faiss::ClusteringIterationStats", "faiss::Clustering1D", "faiss::ProgressiveDimClusteringParameters",
                        "faiss::ProgressiveDimIndexFactory", "faiss::ProgressiveDimClustering", "faiss::kmeans_clustering",
                        "faiss::PQEncoderGeneric", "faiss::PQEncoder8", "faiss::PQEncoder16",
                        "faiss::PQDecoderGeneric", "faiss::PQDecoder8", "faiss::PQDecoder16",
                        "faiss::ProductQuantizer::compute_code_from_distance_table", "faiss::RangeQueryResult",
                        "faiss::Index::get_distance_computer", "faiss::Index::range_search", "faiss::Index::assign",
                        "faiss::Index::search_and_reconstruct", "faiss::Index::compute_residual_n",
                        "faiss::Index::sa_encode", "faiss::Index::sa_decode", "faiss::Index::sa_code_size",
                        "faiss::Index::merge_from", "faiss::Index::check_compatible_for_merge",
                        "faiss::IndexFlatCodes::get_FlatCodesDistanceComputer", "faiss::IndexFlat::get_FlatCodesDistanceComputer",
                        "faiss::IndexPQ::get_FlatCodesDistanceComputer",
                        "faiss::read_index(faiss::IOReader*,int)", "faiss::write_index(const faiss::Index*,faiss::IOWriter*)",
                        "faiss::IOReader", "faiss::IOWriter", "faiss::IndexBinary", "faiss::VectorTransform",
                        "faiss::InvertedLists", "faiss::read_index_binary", "faiss::write_index_binary",
                        "faiss::read_VectorTransform", "faiss::write_VectorTransform",
                        "faiss::read_ProductQuantizer", "faiss::write_ProductQuantizer",
                        "faiss::read_InvertedLists", "faiss::write_InvertedLists",
                        "faiss::index_binary_factory", "faiss::read_ResidualQuantizer", "faiss::write_ResidualQuantizer",
                        "faiss::read_ProductResidualQuantizer", "faiss::write_ProductResidualQuantizer",
                        "faiss::read_LocalSearchQuantizer", "faiss::write_LocalSearchQuantizer",
                        "faiss::read_ProductLocalSearchQuantizer", "faiss::write_ProductLocalSearchQuantizer",
                        "faiss::IDSelectorBatch::set", "faiss::IDSelectorBatch::bloom",
                        "faiss::PolysemousTraining", "faiss::IndexPQ::polysemous_training",
                        "faiss::IndexIVFPQ::polysemous_training", "float_maxheap_array_t", "float_minheap_array_t",
                        "faiss::float_maxheap_array_t", "faiss::float_minheap_array_t")
                        .skip());
    }
}
