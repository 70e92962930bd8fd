package io.edgerag.store.local;

import io.edgerag.store.local.faiss.FaissVectorIndexFactory;

/**
 * Which {@link VectorIndexFactory} the store tests run against: real FAISS. The native library
 * loads lazily inside the first test that creates an index (never from a static initialiser), once
 * per JVM. {@code -Dedgerag.test.index=bruteforce} runs the pure-logic suites on
 * {@link BruteForceVectorIndexForTests} instead (no native code), e.g. while debugging.
 */
public final class TestIndexes {

    private TestIndexes() {
    }

    public static VectorIndexFactory factory() {
        if ("bruteforce".equals(System.getProperty("edgerag.test.index"))) {
            return BruteForceVectorIndexForTests.FACTORY;
        }
        return FaissVectorIndexFactory.INSTANCE;
    }

    /** Whether {@code factoryString} creates an index that needs training with the current factory. */
    public static boolean needsTraining(String factoryString) {
        try (VectorIndex index = factory().create(factoryString, StoreFixtures.DIM)) {
            return !index.isTrained();
        }
    }
}
