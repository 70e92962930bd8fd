package io.edgerag.store.local.faiss;

import io.edgerag.store.local.faiss.jni.global.faiss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bytedeco.javacpp.Loader;

/**
 * Loads the FAISS JNI library once per JVM, choosing the AVX2 build when the CPU supports it
 * (avx2 + fma + f16c, as FAISS's own Python wheels do) and the generic build otherwise.
 *
 * <p>Force the generic build with {@code -Dedgerag.faiss.generic=true} or the environment variable
 * {@code EDGERAG_FAISS_GENERIC=1}. Safe to call from any thread and any class loader: the first call
 * loads, later calls return the variant that was loaded.
 */
public final class FaissLibrary {

    private static final Logger LOG = Logger.getLogger(FaissLibrary.class.getName());
    private static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String AVX2_EXTENSION = "-avx2";

    /** Which native build is in use. */
    public enum Variant { GENERIC, AVX2 }

    private static volatile Variant loaded;

    private FaissLibrary() {
    }

    /** Loads the native library (idempotent) and returns the variant in use. */
    public static Variant load() {
        Variant v = loaded;
        if (v != null) {
            return v;
        }
        synchronized (FaissLibrary.class) {
            if (loaded == null) {
                loaded = doLoad();
            }
            return loaded;
        }
    }

    private static Variant doLoad() {
        String reason;
        boolean wantAvx2;
        if (forceGeneric()) {
            wantAvx2 = false;
            reason = "generic forced by edgerag.faiss.generic / EDGERAG_FAISS_GENERIC";
        } else if (!isX86_64()) {
            wantAvx2 = false;
            reason = "architecture " + System.getProperty("os.arch");
        } else if (!cpuHasAvx2()) {
            wantAvx2 = false;
            reason = "CPU lacks avx2/fma/f16c";
        } else if (FaissLibrary.class.getResource(avx2ResourceDir()) == null) {
            wantAvx2 = false;
            reason = "AVX2 build not packaged (" + avx2ResourceDir() + ")";
        } else {
            wantAvx2 = true;
            reason = "CPU supports avx2, fma, f16c";
        }

        Variant variant = wantAvx2 ? Variant.AVX2 : Variant.GENERIC;
        String previous = System.getProperty(EXTENSION_PROPERTY);
        try {
            if (wantAvx2) {
                System.setProperty(EXTENSION_PROPERTY, AVX2_EXTENSION);
            } else if (previous != null) {
                System.clearProperty(EXTENSION_PROPERTY);
            }
            Loader.loadProperties(true); // JavaCPP caches platform properties; re-read the extension
            Loader.load(faiss.class);
        } catch (UnsatisfiedLinkError e) {
            if (!wantAvx2) {
                throw e;
            }
            LOG.log(Level.WARNING, "FAISS AVX2 build failed to load, falling back to generic", e);
            System.clearProperty(EXTENSION_PROPERTY);
            Loader.loadProperties(true);
            Loader.load(faiss.class);
            variant = Variant.GENERIC;
            reason = "AVX2 build failed to load: " + e.getMessage();
        } finally {
            if (previous != null) {
                System.setProperty(EXTENSION_PROPERTY, previous);
            } else {
                System.clearProperty(EXTENSION_PROPERTY);
            }
            Loader.loadProperties(true);
        }
        bindToThisClassLoader();
        limitBlasThreads();
        String path = loadedPath();
        LOG.log(Level.INFO, "FAISS native library loaded: variant={0} ({1}), {2}, OpenMP max threads {3}",
                new Object[] {variant, reason, path, faiss.get_omp_max_threads()});
        return variant;
    }

    /**
     * A Quarkus dev-mode live reload starts the application in a new class loader. JavaCPP (loaded by
     * the parent loader, once) still counts the library as loaded, but the JVM binds a JNI library to
     * one class loader, so this loader's FAISS classes have no native methods. A copy of the file is a
     * different library to the JVM: loading it from here binds them (each reload leaks one copy's code
     * pages, which is fine for a dev session). Outside dev mode the first call simply succeeds.
     */
    private static void bindToThisClassLoader() {
        try {
            faiss.get_omp_max_threads();
            return;
        } catch (UnsatisfiedLinkError unbound) {
            Path original = Path.of(loadedPath());
            try {
                Path copy = Files.createTempFile("jnifaiss-", ".so");
                copy.toFile().deleteOnExit();
                Files.copy(original, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                System.load(copy.toString());
                faiss.get_omp_max_threads();
                LOG.log(Level.INFO, "FAISS JNI library bound to a new class loader (dev-mode restart) from {0}", copy);
            } catch (IOException | UnsatisfiedLinkError e) {
                IllegalStateException failure = new IllegalStateException(
                        "FAISS JNI library is bound to another class loader and cannot be bound to this one", e);
                failure.addSuppressed(unbound);
                throw failure;
            }
        }
    }

    /**
     * FAISS parallelises with OpenMP and calls BLAS from inside parallel regions; a multi-threaded
     * OpenBLAS there oversubscribes the cores (k-means/PQ training ran 100x slower in tests). So BLAS
     * runs single-threaded unless {@code edgerag.faiss.blasThreads} / {@code EDGERAG_FAISS_BLAS_THREADS} says otherwise.
     */
    private static void limitBlasThreads() {
        String v = System.getProperty("edgerag.faiss.blasThreads", System.getenv("EDGERAG_FAISS_BLAS_THREADS"));
        int threads = 1;
        if (v != null && !v.isBlank()) {
            try {
                threads = Math.max(1, Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                LOG.warning("ignoring invalid BLAS thread count " + v);
            }
        }
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
    }

    /** The variant in use, or null when not loaded yet. */
    public static Variant loadedVariant() {
        return loaded;
    }

    /**
     * Sets the OpenMP thread count FAISS uses for work started from the <em>calling</em> thread
     * (OpenMP's setting is per thread; {@code OMP_NUM_THREADS} sets the default for all threads).
     */
    public static void setThreads(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0, got " + threads);
        }
        load();
        faiss.set_omp_threads(threads);
    }

    /** OpenMP's max thread count as seen by the calling thread. */
    public static int maxThreads() {
        load();
        return faiss.get_omp_max_threads();
    }

    private static String loadedPath() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().contains("jnifaiss")) {
                return e.getValue();
            }
        }
        return "jnifaiss";
    }

    private static String avx2ResourceDir() {
        return "/io/edgerag/store/local/faiss/" + Loader.getPlatform() + AVX2_EXTENSION + "/";
    }

    private static boolean forceGeneric() {
        String p = System.getProperty("edgerag.faiss.generic");
        String env = System.getenv("EDGERAG_FAISS_GENERIC");
        return isTrue(p) || isTrue(env);
    }

    private static boolean isTrue(String s) {
        return s != null && Set.of("1", "true", "yes").contains(s.trim().toLowerCase(Locale.ROOT));
    }

    private static boolean isX86_64() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /** Reads the first "flags" line of /proc/cpuinfo (Linux only; false elsewhere). */
    static boolean cpuHasAvx2() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    Set<String> flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    return flags.contains("avx2") && flags.contains("fma") && flags.contains("f16c");
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot read /proc/cpuinfo", e);
        }
        return false;
    }
}
